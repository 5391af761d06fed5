import type { Attribute, KeyValuePair, NetworkBinding, Resource, Tag, TaskOverride, VersionInfo } from '@aws-sdk/client-ecs';
import type { ArnFormat } from './arns';
import type { IndexSlot } from './ordered-index';

/** Internal records of the simulated ECS. Timestamps are epoch milliseconds. */

export type TaskLastStatus = 'PENDING' | 'RUNNING' | 'STOPPED';
export type TaskDesiredStatus = 'RUNNING' | 'STOPPED';
export type SimLaunchType = 'EC2' | 'FARGATE';
/** DRAINING is not simulated: instances are ACTIVE until deregistered. */
export type InstanceStatus = 'ACTIVE' | 'INACTIVE';

export interface ClusterRecord {
  readonly name: string;
  readonly arn: string;
  readonly arnFormat: ArnFormat;
  readonly tags: Tag[];
  /** Container instances that are not INACTIVE. */
  registeredInstances: number;
  pendingTasks: number;
  runningTasks: number;
  /** Services that are ACTIVE (DRAINING and INACTIVE ones do not count, as in ECS). */
  activeServices: number;
  /** Where the cluster sits in the ListClusters order. */
  orderSlot?: IndexSlot<ClusterRecord>;
}

/** What a task holds on its container instance while it is not STOPPED. */
export interface Reservation {
  readonly cpu: number;
  readonly memory: number;
  readonly ports: readonly string[];
  readonly portsUdp: readonly string[];
}

export interface InstanceRecord {
  readonly id: string;
  readonly arn: string;
  readonly cluster: ClusterRecord;
  readonly ec2InstanceId: string;
  readonly availabilityZone: string;
  readonly registeredAt: number;
  readonly registeredResources: Resource[];
  status: InstanceStatus;
  agentConnected: boolean;
  attributes: Attribute[];
  versionInfo: VersionInfo;
  tags: Tag[];
  version: number;
  updatedAt: number;
  remainingCpu: number;
  remainingMemory: number;
  /** Ports in use: the reserved ones registered plus those bound by tasks. */
  usedPorts: Set<string>;
  usedPortsUdp: Set<string>;
  runningTasksCount: number;
  pendingTasksCount: number;
  /** Where the instance sits in the ListContainerInstances index of its status. */
  indexSlot?: IndexSlot<InstanceRecord>;
}

export interface ContainerDefinitionRecord {
  readonly name: string;
  readonly image: string;
  readonly cpu: number;
  readonly memory?: number;
  readonly memoryReservation?: number;
  readonly portMappings: { containerPort: number; hostPort: number; protocol: 'tcp' | 'udp' }[];
}

export interface TaskDefinitionRecord {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  readonly cpu?: string;
  readonly memory?: string;
  readonly networkMode: string;
  readonly requiresCompatibilities: string[];
  readonly containers: ContainerDefinitionRecord[];
  readonly registeredAt: number;
  /** The request as given, echoed by DescribeTaskDefinition. */
  readonly definition: Record<string, unknown>;
}

export interface ContainerRecord {
  readonly arn: string;
  readonly name: string;
  readonly image: string;
  readonly cpu: string;
  readonly memory?: string;
  readonly memoryReservation?: string;
  lastStatus: TaskLastStatus;
  runtimeId?: string;
  imageDigest?: string;
  exitCode?: number;
  reason?: string;
  networkBindings?: NetworkBinding[];
  privateIpv4Address?: string;
}

export interface EniAttachment {
  readonly id: string;
  readonly type: 'eni';
  status: string;
  readonly details: KeyValuePair[];
}

export interface TaskRecord {
  readonly id: string;
  readonly arn: string;
  readonly cluster: ClusterRecord;
  readonly taskDefinition: TaskDefinitionRecord;
  readonly launchType: SimLaunchType;
  readonly instance?: InstanceRecord;
  readonly reservation: Reservation;
  readonly cpu?: string;
  readonly memory?: string;
  readonly group: string;
  readonly startedBy?: string;
  readonly overrides: TaskOverride;
  readonly tags: Tag[];
  readonly availabilityZone: string;
  readonly containers: ContainerRecord[];
  readonly attachment?: EniAttachment;
  readonly platformVersion?: string;
  readonly createdAt: number;
  desiredStatus: TaskDesiredStatus;
  lastStatus: TaskLastStatus;
  version: number;
  updatedAt: number;
  connectivityAt?: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  timer?: NodeJS.Timeout;
  /** Where the task sits in the ListTasks indexes. */
  readonly indexSlots: IndexSlot<TaskRecord>[];
}
