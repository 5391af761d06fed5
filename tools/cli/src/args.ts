import { parseArgs } from 'node:util';
import type { DescribeCommand } from './describe-command';
import type { GetCommand } from './get-command';
import { OUTPUT_FORMATS, type OutputFormat } from './record-output';
import { parseResourceKind } from './resource-kind';
import { buildSelection } from './selection';
import type { TopCommand } from './top-command';
import { UsageError } from './usage-error';

/** Where the API is and the token to show it, as given on the command line. */
export interface ApiFlags {
  url: string | undefined;
  token: string | undefined;
}

export type Command = (
  | { name: 'reconcile'; clusters: string[]; wait: boolean; timeoutSeconds: number }
  | { name: 'status'; id: string }
  | GetCommand
  | DescribeCommand
  | TopCommand
) & { api: ApiFlags };

export type ParsedCommand = Command | { name: 'help' };

export const DEFAULT_WAIT_SECONDS = 3600;

export const USAGE = `Usage:
  ecs-state get tasks|instances|services [--cluster <name|arn>] [--status <status>]
                [--family <family>] [-l <key>=<value>]... [-o table|wide|json|ndjson] [--watch]
                [API options]
      Lists tasks, container instances or services, a page at a time. -l takes the API's
      other filters: for tasks group, startedBy, launchType, desiredStatus,
      containerInstance, service (-l service=web); for instances an attribute
      (-l name=value, or -l name) or agentConnected=true|false; for services launchType,
      rolloutState (of the PRIMARY deployment). --watch then prints every change (ADDED,
      MODIFIED, DELETED) from the list's revision on, until interrupted.
  ecs-state describe task|instance <cluster> <arn-or-id> [-o json] [API options]
  ecs-state describe service <cluster> <name-or-arn> [-o json] [API options]
      Shows one task (status, stop reason, containers), container instance (resources,
      attributes, tasks placed on it) or service (counts, deployments with their rollout
      state, recent events).
  ecs-state top instances [--cluster <name|arn>] [--status <status>] [-l ...] [API options]
      CPU and memory reserved on each container instance, fullest first.
  ecs-state reconcile [--cluster <name|arn>]... [--wait [--timeout <seconds>]] [API options]
      Requests a reconcile of the given clusters (every cluster without --cluster) and
      prints the run id. With --wait, shows progress on stderr until the run finishes
      (at most --timeout seconds, default ${DEFAULT_WAIT_SECONDS}) and prints the run with its drift report.
  ecs-state status <run-id> [API options]
      Prints a run's state, progress and drift report.
  ecs-state help
      Prints this text.

API options:
  --url <url>       the cluster state service's REST API
                    (default: $ECS_STATE_URL, else http://127.0.0.1:3000)
  --token <token>   bearer token, one of the API's API_TOKENS (default: $ECS_STATE_TOKEN;
                    prefer the variable: arguments are visible to other users of the machine)

Exit status: 0 success; 1 the run failed, a cluster in it failed or is not known, no
such run, or no such task, instance or service (describe); 2 usage or configuration
error, or a request the API rejected as invalid; 3 --wait timed out (the run goes on);
4 the API could not be reached, refused the token, or failed.`;

const API_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
} as const;

const SELECTION_OPTIONS = {
  cluster: { type: 'string', short: 'c', multiple: true },
  status: { type: 'string' },
  selector: { type: 'string', short: 'l', multiple: true },
} as const;

export function parseCommand(argv: readonly string[]): ParsedCommand {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || argv.includes('--help') || argv.includes('-h')) return { name: 'help' };
  try {
    return parseNamed(name, rest);
  } catch (err) {
    // parseArgs's errors (unknown option, missing value) carry codes ERR_PARSE_ARGS_*.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError((err as Error).message);
    throw err;
  }
}

function apiFlags(values: { url?: string | undefined; token?: string | undefined }): ApiFlags {
  return { url: values.url, token: values.token };
}

/** The API filters one cluster per list. */
function oneCluster(values: string[] | undefined): string | undefined {
  if (values !== undefined && values.length > 1) throw new UsageError('--cluster is given once: the API lists one cluster (or all)');
  return values?.[0];
}

function parseNamed(name: string, rest: string[]): Command {
  switch (name) {
    case 'get':
      return parseGet(rest);
    case 'describe':
      return parseDescribe(rest);
    case 'top':
      return parseTop(rest);
    case 'reconcile':
      return parseReconcile(rest);
    case 'status': {
      const { values, positionals } = parseArgs({ args: rest, options: API_OPTIONS, allowPositionals: true, strict: true });
      if (positionals.length !== 1) throw new UsageError('status needs exactly one run id');
      return { name: 'status', id: positionals[0] as string, api: apiFlags(values) };
    }
    default:
      throw new UsageError(`unknown command: ${name}`);
  }
}

function parseGet(rest: string[]): Command {
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...SELECTION_OPTIONS,
      family: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'table' },
      watch: { type: 'boolean', short: 'w', default: false },
      ...API_OPTIONS,
    },
    allowPositionals: true,
    strict: true,
  });
  const kind = parseResourceKind(positionals[0]);
  if (kind === undefined || positionals.length !== 1) throw new UsageError('get needs what to list: tasks, instances or services');
  const output = values.output as string;
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) throw new UsageError(`-o must be one of ${OUTPUT_FORMATS.join(', ')}`);
  const selection = buildSelection(kind, { cluster: oneCluster(values.cluster), status: values.status, family: values.family, labels: values.selector ?? [] });
  return { name: 'get', selection, output: output as OutputFormat, watch: values.watch ?? false, api: apiFlags(values) };
}

function parseDescribe(rest: string[]): Command {
  const { values, positionals } = parseArgs({
    args: rest,
    options: { output: { type: 'string', short: 'o' }, ...API_OPTIONS },
    allowPositionals: true,
    strict: true,
  });
  const kind = parseResourceKind(positionals[0]);
  if (kind === undefined || positionals.length !== 3) {
    throw new UsageError('describe needs task|instance|service, the cluster (name or ARN) and the ARN or id (a service: its name or ARN)');
  }
  if (values.output !== undefined && values.output !== 'json') throw new UsageError('describe takes -o json, or no -o for text');
  const [, cluster, ref] = positionals as [string, string, string];
  return { name: 'describe', kind, cluster, ref, json: values.output === 'json', api: apiFlags(values) };
}

function parseTop(rest: string[]): Command {
  const { values, positionals } = parseArgs({ args: rest, options: { ...SELECTION_OPTIONS, ...API_OPTIONS }, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || parseResourceKind(positionals[0]) !== 'instances') throw new UsageError('top shows instances: ecs-state top instances');
  const selection = buildSelection('instances', { cluster: oneCluster(values.cluster), status: values.status, family: undefined, labels: values.selector ?? [] });
  return { name: 'top', selection, api: apiFlags(values) };
}

function parseReconcile(rest: string[]): Command {
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      cluster: { type: 'string', short: 'c', multiple: true },
      wait: { type: 'boolean', short: 'w', default: false },
      timeout: { type: 'string' },
      ...API_OPTIONS,
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const wait = values.wait ?? false;
  if (values.timeout !== undefined && !wait) throw new UsageError('--timeout only applies with --wait');
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_WAIT_SECONDS : Number(values.timeout);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout must be a whole number of seconds');
  return { name: 'reconcile', clusters: values.cluster ?? [], wait, timeoutSeconds, api: apiFlags(values) };
}
