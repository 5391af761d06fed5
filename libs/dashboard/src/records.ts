import { currentDeployment } from '@ecs-state/domain/current-deployment';

/** The API's record collections (`/v1/<collection>`, `/v1/stream/<collection>`). */
export type RecordCollection = 'tasks' | 'instances' | 'services';

/** What the views need of a task; the full record is fetched when a person opens it. */
export interface TaskSummary {
  readonly arn: string;
  readonly id: string;
  readonly cluster: string;
  readonly clusterArn: string;
  readonly family: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  readonly launchType: string;
  readonly containerInstanceArn: string;
  readonly group: string;
  readonly cpu: number;
  readonly memory: number;
  readonly startedAt: string;
  readonly stoppedReason: string;
}

export interface InstanceSummary {
  readonly arn: string;
  readonly id: string;
  readonly cluster: string;
  readonly clusterArn: string;
  readonly ec2InstanceId: string;
  readonly status: string;
  readonly agentConnected: boolean;
  readonly registered: Resources;
  readonly remaining: Resources;
}

/** What the cluster map shows of a service: its counts and the rollout of its PRIMARY deployment. */
export interface ServiceSummary {
  readonly arn: string;
  readonly name: string;
  readonly cluster: string;
  readonly status: string;
  /** Absent until the reconciler has described the service (it is known from its events only). */
  readonly desired: number | undefined;
  readonly running: number | undefined;
  readonly pending: number | undefined;
  readonly rolloutState: string;
  readonly taskDefinition: string;
}

export interface Resources {
  readonly cpu: number;
  readonly memory: number;
}

type Json = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The last segment of an ARN: a task or instance id, a cluster name. */
export function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `family:revision` of a task definition ARN. */
export function familyOf(taskDefinitionArn: string): string {
  return lastSegment(taskDefinitionArn);
}

function resources(list: unknown): Resources {
  let cpu = 0;
  let memory = 0;
  if (Array.isArray(list)) {
    for (const resource of list as Json[]) {
      const value = typeof resource['integerValue'] === 'number' ? resource['integerValue'] : Number(resource['value'] ?? 0);
      if (resource['name'] === 'CPU') cpu = value;
      if (resource['name'] === 'MEMORY') memory = value;
    }
  }
  return { cpu, memory };
}

export function summarizeTask(entity: Json): TaskSummary {
  const arn = text(entity['taskARN']);
  const clusterArn = text(entity['clusterARN']);
  return {
    arn,
    id: lastSegment(arn),
    cluster: lastSegment(clusterArn),
    clusterArn,
    family: familyOf(text(entity['taskDefinitionARN'])),
    lastStatus: text(entity['lastStatus']),
    desiredStatus: text(entity['desiredStatus']),
    launchType: text(entity['launchType']) || 'EC2',
    containerInstanceArn: text(entity['containerInstanceARN']),
    group: text(entity['group']),
    cpu: Number(entity['cpu'] ?? 0) || 0,
    memory: Number(entity['memory'] ?? 0) || 0,
    startedAt: text(entity['startedAt']) || text(entity['createdAt']),
    stoppedReason: text(entity['stoppedReason']),
  };
}

export function summarizeInstance(entity: Json): InstanceSummary {
  const arn = text(entity['containerInstanceARN']);
  const clusterArn = text(entity['clusterARN']);
  return {
    arn,
    id: lastSegment(arn),
    cluster: lastSegment(clusterArn),
    clusterArn,
    ec2InstanceId: text(entity['EC2InstanceID']),
    status: text(entity['status']),
    agentConnected: entity['agentConnected'] !== false,
    registered: resources(entity['registeredResources']),
    remaining: resources(entity['remainingResources']),
  };
}

const count = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** The deployment the API's `rolloutState` filter reads (domain's `currentDeployment`). */
function primaryDeployment(entity: Json): Json | undefined {
  return currentDeployment(Array.isArray(entity['deployments']) ? (entity['deployments'] as Json[]) : []);
}

export function summarizeService(entity: Json): ServiceSummary {
  const arn = text(entity['serviceARN']);
  return {
    arn,
    name: text(entity['serviceName']) || lastSegment(arn),
    cluster: lastSegment(text(entity['clusterARN'])),
    status: text(entity['status']),
    desired: count(entity['desiredCount']),
    running: count(entity['runningCount']),
    pending: count(entity['pendingCount']),
    rolloutState: text(primaryDeployment(entity)?.['rolloutState']),
    taskDefinition: familyOf(text(entity['taskDefinition'])),
  };
}
