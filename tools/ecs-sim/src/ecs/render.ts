import type { Resource } from '@aws-sdk/client-ecs';
import type { ClusterRecord, ContainerRecord, InstanceRecord, TaskRecord } from './model';

/**
 * Rendered objects share the records' frozen nested parts (see frozen.ts).
 *
 * One record, three renderings that differ only in how time is written: epoch
 * seconds on the wire (awsJson1.1), ISO strings in events, Date in the ground truth
 * (what the AWS SDK makes of the wire form).
 */
export type Stamp = (epochMs: number) => unknown;

export const wireStamp: Stamp = (ms) => ms / 1000;
export const isoStamp: Stamp = (ms) => new Date(ms).toISOString();
export const dateStamp: Stamp = (ms) => new Date(ms);

type Shape = Record<string, unknown>;

function put(target: Shape, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function putTime(target: Shape, key: string, ms: number | undefined, stamp: Stamp): void {
  if (ms !== undefined) target[key] = stamp(ms);
}


export function remainingResources(instance: InstanceRecord): Resource[] {
  return instance.registeredResources.map((resource): Resource => {
    switch (resource.name) {
      case 'CPU':
        return { ...resource, integerValue: instance.remainingCpu };
      case 'MEMORY':
        return { ...resource, integerValue: instance.remainingMemory };
      case 'PORTS':
        return { ...resource, stringSetValue: [...instance.usedPorts] };
      case 'PORTS_UDP':
        return { ...resource, stringSetValue: [...instance.usedPortsUdp] };
      default:
        return resource;
    }
  });
}

/** Tags are part of a response only when the request asks for them (`include: ['TAGS']`). */
export function renderContainerInstance(instance: InstanceRecord, stamp: Stamp, includeTags: boolean): Shape {
  const out: Shape = {
    containerInstanceArn: instance.arn,
    ec2InstanceId: instance.ec2InstanceId,
    version: instance.version,
    versionInfo: instance.versionInfo,
    remainingResources: remainingResources(instance),
    registeredResources: instance.registeredResources,
    status: instance.status,
    agentConnected: instance.agentConnected,
    runningTasksCount: instance.runningTasksCount,
    pendingTasksCount: instance.pendingTasksCount,
    attributes: instance.attributes,
    registeredAt: stamp(instance.registeredAt),
    attachments: [],
  };
  if (includeTags) out.tags = instance.tags;
  return out;
}

function renderContainer(task: TaskRecord, container: ContainerRecord): Shape {
  const out: Shape = {
    containerArn: container.arn,
    taskArn: task.arn,
    name: container.name,
    image: container.image,
  };
  put(out, 'imageDigest', container.imageDigest);
  put(out, 'runtimeId', container.runtimeId);
  out.lastStatus = container.lastStatus;
  put(out, 'exitCode', container.exitCode);
  put(out, 'reason', container.reason);
  if (task.launchType === 'FARGATE' && task.attachment) {
    out.networkInterfaces =
      container.privateIpv4Address === undefined
        ? []
        : [{ attachmentId: task.attachment.id, privateIpv4Address: container.privateIpv4Address }];
  } else {
    out.networkBindings = container.networkBindings ?? [];
  }
  out.healthStatus = 'UNKNOWN';
  out.cpu = container.cpu;
  put(out, 'memory', container.memory);
  put(out, 'memoryReservation', container.memoryReservation);
  return out;
}

export function renderTask(task: TaskRecord, stamp: Stamp, includeTags: boolean): Shape {
  const out: Shape = {
    attachments: task.attachment
      ? [{ id: task.attachment.id, type: task.attachment.type, status: task.attachment.status, details: task.attachment.details }]
      : [],
    availabilityZone: task.availabilityZone,
    clusterArn: task.cluster.arn,
    connectivity: 'CONNECTED',
  };
  putTime(out, 'connectivityAt', task.connectivityAt, stamp);
  put(out, 'containerInstanceArn', task.instance?.arn);
  out.containers = task.containers.map((container) => renderContainer(task, container));
  put(out, 'cpu', task.cpu);
  out.createdAt = stamp(task.createdAt);
  out.desiredStatus = task.desiredStatus;
  out.enableExecuteCommand = false;
  putTime(out, 'executionStoppedAt', task.executionStoppedAt, stamp);
  out.group = task.group;
  out.healthStatus = 'UNKNOWN';
  out.lastStatus = task.lastStatus;
  out.launchType = task.launchType;
  put(out, 'memory', task.memory);
  out.overrides = task.overrides;
  put(out, 'platformVersion', task.platformVersion);
  putTime(out, 'pullStartedAt', task.pullStartedAt, stamp);
  putTime(out, 'pullStoppedAt', task.pullStoppedAt, stamp);
  putTime(out, 'startedAt', task.startedAt, stamp);
  put(out, 'startedBy', task.startedBy);
  put(out, 'stopCode', task.stopCode);
  putTime(out, 'stoppedAt', task.stoppedAt, stamp);
  put(out, 'stoppedReason', task.stoppedReason);
  putTime(out, 'stoppingAt', task.stoppingAt, stamp);
  if (includeTags) out.tags = task.tags;
  out.taskArn = task.arn;
  out.taskDefinitionArn = task.taskDefinition.arn;
  out.version = task.version;
  return out;
}

/** The `detail` of an "ECS Task State Change" event. */
export function taskEventDetail(task: TaskRecord): Shape {
  return { ...renderTask(task, isoStamp, false), updatedAt: isoStamp(task.updatedAt) };
}

/** The `detail` of an "ECS Container Instance State Change" event. */
export function instanceEventDetail(instance: InstanceRecord): Shape {
  return {
    ...renderContainerInstance(instance, isoStamp, false),
    clusterArn: instance.cluster.arn,
    updatedAt: isoStamp(instance.updatedAt),
  };
}

export function renderCluster(cluster: ClusterRecord, includeTags: boolean, status = 'ACTIVE'): Shape {
  const out: Shape = {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status,
    registeredContainerInstancesCount: cluster.registeredInstances,
    runningTasksCount: cluster.runningTasks,
    pendingTasksCount: cluster.pendingTasks,
    activeServicesCount: cluster.activeServices,
    statistics: [],
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
  if (includeTags) out.tags = cluster.tags;
  return out;
}
