import { describeScope, fail, isAccountId, isPartition, isRegion, ok, partitionOfRegion, PARTITIONS, type Partition, type Result } from '@ecs-state/domain';
import { z } from 'zod';

/** One account and region to reconcile, and how to reach its ECS API. */
export interface ReconcileTargetConfig {
  partition: Partition;
  region: string;
  /** Always set in a target list; absent only for the default target, whose account ECS reveals. */
  account?: string;
  /** IAM role to assume (STS AssumeRole) for this target's ECS calls. */
  roleArn?: string;
  /** STS external id of the role's trust policy. */
  externalId?: string;
  /** Named profile of the shared AWS config/credentials files for this target's ECS calls. */
  profile?: string;
  /** ECS endpoint of this target (tests, VPC endpoints); AWS_ENDPOINT_URL_ECS or the SDK default otherwise. */
  endpoint?: string;
}

const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const PROFILE = /^[A-Za-z0-9_.+@-]{1,128}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

const entrySchema = z.strictObject({
  account: z.string({ error: 'is required (12 digits)' }).refine(isAccountId, 'must be 12 digits'),
  region: z.string({ error: 'is required' }).refine(isRegion, 'must be an AWS region like us-east-1'),
  partition: z.enum(PARTITIONS, { error: `must be one of ${PARTITIONS.join(', ')}` }).optional(),
  roleArn: z.string().regex(ROLE_ARN, 'must be an IAM role ARN: arn:<partition>:iam::<account>:role/<name>').optional(),
  externalId: z.string().regex(EXTERNAL_ID, 'must be 2-1224 of letters, digits and +=,.@:/-').optional(),
  profile: z.string().regex(PROFILE, 'must be a profile name').optional(),
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});

type Entry = z.infer<typeof entrySchema>;

/**
 * Reads `RECONCILE_TARGETS`: either comma-separated `account:region[:roleArn]`, or a JSON
 * array of `{ account, region, partition?, roleArn?, externalId?, profile?, endpoint? }`.
 * Every problem is reported, each naming its entry (1-based) as given.
 */
export function parseReconcileTargets(text: string): Result<ReconcileTargetConfig[], 'invalid_targets'> {
  const trimmed = text.trim();
  const problems: string[] = [];
  const targets: ReconcileTargetConfig[] = [];
  const raw = trimmed.startsWith('[') ? jsonEntries(trimmed, problems) : compactEntries(trimmed);
  raw.forEach(({ label, input }, i) => {
    const name = `entry ${i + 1} (${label})`;
    const parsed = entrySchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`${name}: ${issue.path.length > 0 ? `${issue.path.join('.')} ` : ''}${issue.message}`);
      }
      return;
    }
    const checked = checkEntry(parsed.data);
    if (typeof checked === 'string') problems.push(`${name}: ${checked}`);
    else targets.push(checked);
  });
  if (raw.length === 0 && problems.length === 0) problems.push('names no target');
  const seen = new Map<string, number>();
  targets.forEach((target, i) => {
    const id = describeScope({ partition: target.partition, region: target.region, account: target.account ?? '' });
    const first = seen.get(id);
    if (first !== undefined) problems.push(`entries ${first + 1} and ${i + 1} both name ${id}`);
    else seen.set(id, i);
  });
  return problems.length > 0 ? fail('invalid_targets', problems.join('; ')) : ok(targets);
}

function checkEntry(entry: Entry): ReconcileTargetConfig | string {
  const partition = entry.partition ?? partitionOfRegion(entry.region);
  if (entry.roleArn !== undefined && entry.profile !== undefined) return 'roleArn and profile exclude each other';
  if (entry.externalId !== undefined && entry.roleArn === undefined) return 'externalId needs a roleArn';
  const rolePartition = entry.roleArn === undefined ? undefined : ROLE_ARN.exec(entry.roleArn)?.[1];
  if (rolePartition !== undefined && (!isPartition(rolePartition) || rolePartition !== partition)) {
    return `roleArn is in partition ${JSON.stringify(rolePartition)}, the target in ${partition}`;
  }
  return {
    partition,
    region: entry.region,
    account: entry.account,
    ...(entry.roleArn === undefined ? {} : { roleArn: entry.roleArn }),
    ...(entry.externalId === undefined ? {} : { externalId: entry.externalId }),
    ...(entry.profile === undefined ? {} : { profile: entry.profile }),
    ...(entry.endpoint === undefined ? {} : { endpoint: entry.endpoint }),
  };
}

interface RawEntry {
  label: string;
  input: unknown;
}

/** `account:region[:roleArn]`; the role ARN holds colons of its own, so it is the rest of the entry. */
function compactEntries(text: string): RawEntry[] {
  if (text === '') return [];
  return text.split(',').map((part) => {
    const entry = part.trim();
    const [account = '', region, ...role] = entry.split(':');
    const input: Record<string, string> = { account };
    if (region !== undefined) input['region'] = region;
    if (role.length > 0) input['roleArn'] = role.join(':');
    return { label: JSON.stringify(entry), input };
  });
}

function jsonEntries(text: string, problems: string[]): RawEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    problems.push(`is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push('must be a JSON array of targets');
    return [];
  }
  return value.map((input: unknown) => {
    const account = typeof input === 'object' && input !== null ? (input as { account?: unknown }).account : undefined;
    return { label: typeof account === 'string' ? `account ${account}` : 'no account', input };
  });
}
