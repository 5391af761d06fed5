import type { CapacityProviderStrategyItem, LoadBalancer, NetworkConfiguration, PlacementConstraint, PlacementStrategy, Tag } from '@aws-sdk/client-ecs';
import type { ClusterRecord, SimLaunchType, TaskDefinitionRecord, TaskRecord } from './model';
import type { IndexSlot } from './ordered-index';

/** Internal records of simulated ECS services. Timestamps are epoch milliseconds. */

/** DRAINING from DeleteService until its last task has stopped, then INACTIVE. */
export type ServiceStatus = 'ACTIVE' | 'DRAINING' | 'INACTIVE';
/** The newest deployment is PRIMARY; older ones that still run tasks are ACTIVE. */
export type DeploymentStatus = 'PRIMARY' | 'ACTIVE';
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface CircuitBreaker {
  readonly enable: boolean;
  readonly rollback: boolean;
}

export interface DeploymentSettings {
  readonly maximumPercent: number;
  readonly minimumHealthyPercent: number;
  readonly deploymentCircuitBreaker: CircuitBreaker;
}

/** What the tasks of one deployment are launched with. */
export interface LaunchSettings {
  readonly taskDefinition: TaskDefinitionRecord;
  readonly launchType: SimLaunchType;
  /** Given instead of a launch type; kept to answer it back. */
  readonly capacityProviderStrategy?: CapacityProviderStrategyItem[];
  readonly platformVersion?: string;
  readonly networkConfiguration?: NetworkConfiguration;
  readonly placementStrategy: PlacementStrategy[];
}

export interface DeploymentRecord {
  readonly id: string;
  status: DeploymentStatus;
  readonly launch: LaunchSettings;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  readonly createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** Tasks started for this deployment whose desired status is still RUNNING. */
  readonly tasks: Set<TaskRecord>;
  /** Set once SERVICE_TASK_START_IMPAIRED was reported for it, so that it is reported once. */
  startImpairedReported: boolean;
}

/** One line of DescribeServices' `events`: what the service scheduler did, newest first. */
export interface ServiceMessage {
  readonly id: string;
  readonly createdAt: number;
  readonly message: string;
}

export interface ServiceRecord {
  readonly name: string;
  readonly arn: string;
  readonly cluster: ClusterRecord;
  status: ServiceStatus;
  desiredCount: number;
  /** The launch of the PRIMARY deployment: what DescribeServices reports at service level. */
  launch: LaunchSettings;
  deploymentConfiguration: DeploymentSettings;
  loadBalancers: LoadBalancer[];
  placementConstraints: PlacementConstraint[];
  healthCheckGracePeriodSeconds?: number;
  readonly tags: Tag[];
  readonly createdAt: number;
  /** PRIMARY first, then ACTIVE ones, newest first. */
  deployments: DeploymentRecord[];
  /** The scheduler's last 100 messages, newest first. */
  readonly messages: ServiceMessage[];
  /** The last deployment that COMPLETED: what a circuit breaker rolls back to. */
  lastCompleted?: { readonly id: string; readonly launch: LaunchSettings };
  /** Whether SERVICE_STEADY_STATE has been reported since the service last changed. */
  steady: boolean;
  /** Whether the last placement attempt failed, so that a failure is reported once per episode. */
  placementFailing: boolean;
  /** When the service became INACTIVE, for retention. */
  inactiveAt?: number;
  /** Where the service sits in its cluster's ListServices order while not INACTIVE. */
  listSlot?: IndexSlot<ServiceRecord>;
}
