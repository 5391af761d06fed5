import { AwsError } from '../aws/aws-error';
import type { SimulatedService } from '../aws/service';
import type { EventPublisher } from '../aws/event-publisher';
import { createCluster, deleteCluster, describeClusters, listClusters } from './cluster-operations';
import { type EcsGroundTruth, EcsState } from './ecs-state';
import {
  deregisterContainerInstance,
  describeContainerInstances,
  listContainerInstances,
  registerContainerInstance,
} from './instance-operations';
import type { SimLaunchType } from './model';
import { type EcsServiceOptions, resolveOptions } from './options';
import { createService, deleteService, describeServices, listServices, updateService } from './service-operations';
import { describeTaskDefinition, registerTaskDefinition } from './task-definition-operations';
import { describeTasks, listTasks, runTask, startTask, stopTask } from './task-operations';

type Operation = (state: EcsState, input: Record<string, unknown>) => unknown;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateCluster: createCluster,
  ListClusters: listClusters,
  DescribeClusters: describeClusters,
  DeleteCluster: deleteCluster,
  RegisterContainerInstance: registerContainerInstance,
  DeregisterContainerInstance: deregisterContainerInstance,
  ListContainerInstances: listContainerInstances,
  DescribeContainerInstances: describeContainerInstances,
  RegisterTaskDefinition: registerTaskDefinition,
  DescribeTaskDefinition: describeTaskDefinition,
  RunTask: runTask,
  StartTask: startTask,
  StopTask: stopTask,
  ListTasks: listTasks,
  DescribeTasks: describeTasks,
  CreateService: createService,
  UpdateService: updateService,
  DeleteService: deleteService,
  ListServices: listServices,
  DescribeServices: describeServices,
};

export interface PopulateOptions {
  /** Cluster name or ARN; it must exist. */
  readonly cluster: string;
  /** `family`, `family:revision` or ARN of a registered task definition. */
  readonly taskDefinition: string;
  readonly count: number;
  /** Default EC2: tasks go round-robin to instances with room; population stops when none has. */
  readonly launchType?: SimLaunchType;
  readonly startedBy?: string;
  readonly group?: string;
  /** Default false: bulk population is silent, as if it had happened before anyone listened. */
  readonly publishEvents?: boolean;
}

/** The simulated Amazon ECS: an awsJson1.1 service plus direct access for tests, benchmarks and workloads. */
export interface EcsSimulator extends SimulatedService {
  /** The control plane itself, for in-process drivers such as the workload generator. */
  readonly state: EcsState;
  /** Every cluster, container instance and task as they are now, timestamps as Date. */
  groundTruth(): EcsGroundTruth;
  /** Creates RUNNING tasks without timers; returns their ARNs. */
  populateRunningTasks(options: PopulateOptions): string[];
  /** One pass of the service scheduler now (it also runs every `serviceTickMs`). */
  tickServices(): void;
  setPublisher(publisher: EventPublisher | undefined): void;
  close(): void;
}

export function createEcsService(options: EcsServiceOptions = {}): EcsSimulator {
  const state = new EcsState(resolveOptions(options));
  return {
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    contentType: 'application/x-amz-json-1.1',
    state,
    async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
      const run = OPERATIONS[operation];
      if (!run) throw new AwsError('UnknownOperationException', `Operation ${operation} is not supported.`);
      state.purgeExpired();
      return run(state, input);
    },
    groundTruth: () => state.groundTruth(),
    populateRunningTasks(populate: PopulateOptions): string[] {
      const cluster = state.cluster(populate.cluster);
      const tasks = state.populateRunningTasks(
        cluster,
        {
          taskDefinition: state.taskDefinitions.resolve(populate.taskDefinition),
          launchType: populate.launchType ?? 'EC2',
          ...(populate.startedBy === undefined ? {} : { startedBy: populate.startedBy }),
          ...(populate.group === undefined ? {} : { group: populate.group }),
        },
        populate.count,
        populate.publishEvents ?? false,
      );
      return tasks.map((task) => task.arn);
    },
    tickServices: () => state.services.tick(),
    setPublisher: (publisher) => state.setPublisher(publisher),
    close: () => state.close(),
  };
}
