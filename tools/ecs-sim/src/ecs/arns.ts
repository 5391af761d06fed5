/**
 * ECS resource ARNs. A cluster chooses the old (`task/<id>`) or the new
 * (`task/<cluster>/<id>`) format for its tasks and container instances, as the
 * account setting `taskLongArnFormat` / `containerInstanceLongArnFormat` does in ECS.
 */
export type ArnFormat = 'long' | 'short';

export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export function arnPrefix(scope: ArnScope): string {
  return `arn:${scope.partition}:ecs:${scope.region}:${scope.account}:`;
}

export function clusterArn(scope: ArnScope, name: string): string {
  return `${arnPrefix(scope)}cluster/${name}`;
}

export function taskArn(scope: ArnScope, format: ArnFormat, clusterName: string, id: string): string {
  return format === 'long' ? `${arnPrefix(scope)}task/${clusterName}/${id}` : `${arnPrefix(scope)}task/${id}`;
}

export function containerInstanceArn(scope: ArnScope, format: ArnFormat, clusterName: string, id: string): string {
  return format === 'long'
    ? `${arnPrefix(scope)}container-instance/${clusterName}/${id}`
    : `${arnPrefix(scope)}container-instance/${id}`;
}

/** Services follow their cluster's format too: `service/<cluster>/<name>` or `service/<name>`. */
export function serviceArn(scope: ArnScope, format: ArnFormat, clusterName: string, name: string): string {
  return format === 'long' ? `${arnPrefix(scope)}service/${clusterName}/${name}` : `${arnPrefix(scope)}service/${name}`;
}

export function taskDefinitionArn(scope: ArnScope, family: string, revision: number): string {
  return `${arnPrefix(scope)}task-definition/${family}:${revision}`;
}

export function containerArn(scope: ArnScope, id: string): string {
  return `${arnPrefix(scope)}container/${id}`;
}

export interface ParsedReference {
  /** The last path segment: a task ID, instance ID, cluster name or `family[:revision]`. */
  readonly id: string;
  /** The cluster named inside a new-format ARN, if any. */
  readonly clusterName?: string;
}

/**
 * Accepts either a bare identifier or a full ARN of `resourceType` in this
 * partition, region and account. Returns undefined for an ARN of anything else.
 */
export function parseReference(scope: ArnScope, resourceType: string, value: string): ParsedReference | undefined {
  if (!value.startsWith('arn:')) return value.includes('/') ? undefined : { id: value };
  const prefix = `${arnPrefix(scope)}${resourceType}/`;
  if (!value.startsWith(prefix)) return undefined;
  const parts = value.slice(prefix.length).split('/');
  if (parts.length === 1 && parts[0]) return { id: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { id: parts[1], clusterName: parts[0] };
  return undefined;
}

/** `family`, `family:revision` or `arn:...:task-definition/family:revision`. */
export function parseTaskDefinitionReference(
  scope: ArnScope,
  value: string,
): { family: string; revision?: number } | undefined {
  let body = value;
  if (value.startsWith('arn:')) {
    const prefix = `${arnPrefix(scope)}task-definition/`;
    if (!value.startsWith(prefix)) return undefined;
    body = value.slice(prefix.length);
  }
  const [family, revision, ...rest] = body.split(':');
  if (!family || rest.length > 0) return undefined;
  if (revision === undefined) return { family };
  if (!/^\d+$/.test(revision)) return undefined;
  return { family, revision: Number(revision) };
}
