import type { Resource } from '@aws-sdk/client-ecs';
import { AwsError } from '../aws/aws-error';
import { deriveSeed, mulberry32, type Random, randomInt } from '../aws/prng';
import type { EcsState, LaunchParams, StopParams } from './ecs-state';
import type { ClusterRecord, TaskDefinitionRecord, TaskRecord } from './model';
import { ARN_FORMAT_TAG } from './options';

export interface WorkloadOptions {
  /** Same seed (and same simulator seed and clock) -> same ground truth. */
  readonly seed: number;
  /** C: how many clusters. */
  readonly clusters: number;
  /** I: container instances per cluster. */
  readonly instancesPerCluster: number;
  /** RUNNING tasks created per cluster by `setup()`, in bulk and without timers. Default 0. */
  readonly tasksPerCluster?: number;
  /** Share of tasks (populated and started) that run on Fargate. Default 0.2. */
  readonly fargateShare?: number;
  /** Share of clusters that use the old ARN format, spread evenly. Default 0.5. */
  readonly shortArnShare?: number;
  /** R: task starts plus stops per second while started. Default 10. */
  readonly ratePerSecond?: number;
  /** Cluster names are `<prefix><n>`. Default `workload-`. */
  readonly clusterPrefix?: string;
  /** CPU units and MiB one EC2 task reserves. Default 128 / 256. */
  readonly taskCpu?: number;
  readonly taskMemory?: number;
  /** Instance size; by default large enough for the populated EC2 tasks with half again to spare. */
  readonly instanceCpu?: number;
  readonly instanceMemory?: number;
  /** Publish events while `setup()` builds the world (registrations, populated tasks). Default false: silent. */
  readonly publishPopulation?: boolean;
  /** How often the started workload acts. Default 50 ms. */
  readonly tickMs?: number;
}

export interface Workload {
  readonly clusterNames: readonly string[];
  /** Creates the clusters, instances, task definitions and populated tasks. Call once. */
  setup(): void;
  /** Performs `operations` task starts or stops now. */
  step(operations: number): void;
  /** Starts or stops tasks at `ratePerSecond` until `stop()`. */
  start(): void;
  stop(): void;
}

const IMAGE = 'public.ecr.aws/docker/library/nginx:latest';

/** A steady churn of tasks over C clusters of I instances, driven in-process against the simulated ECS. */
export function createWorkload(ecs: { readonly state: EcsState }, options: WorkloadOptions): Workload {
  const state = ecs.state;
  const random: Random = mulberry32(deriveSeed(options.seed, 'ecs-workload'));
  const fargateShare = options.fargateShare ?? 0.2;
  const shortShare = options.shortArnShare ?? 0.5;
  const prefix = options.clusterPrefix ?? 'workload-';
  const taskCpu = options.taskCpu ?? 128;
  const taskMemory = options.taskMemory ?? 256;
  const populated = options.tasksPerCluster ?? 0;
  const ec2Populated = Math.round(populated * (1 - fargateShare));
  const perInstance = options.instancesPerCluster > 0 ? Math.ceil((ec2Populated * 1.5) / options.instancesPerCluster) + 8 : 0;
  const instanceCpu = options.instanceCpu ?? Math.max(4096, perInstance * taskCpu);
  const instanceMemory = options.instanceMemory ?? Math.max(16384, perInstance * taskMemory);
  const clusterNames = Array.from({ length: options.clusters }, (_, i) => `${prefix}${i}`);

  const clusters: ClusterRecord[] = [];
  const live: TaskRecord[] = [];
  let ec2Definition: TaskDefinitionRecord | undefined;
  let fargateDefinition: TaskDefinitionRecord | undefined;
  let timer: NodeJS.Timeout | undefined;

  const launchParams = (fargate: boolean): LaunchParams => {
    if (!ec2Definition || !fargateDefinition) throw new Error('workload: call setup() first');
    return {
      taskDefinition: fargate ? fargateDefinition : ec2Definition,
      launchType: fargate ? 'FARGATE' : 'EC2',
      startedBy: 'workload',
    };
  };

  const registerDefinitions = (): void => {
    const ec2 = { family: `${prefix}ec2`, containerDefinitions: [{ name: 'app', image: IMAGE, cpu: taskCpu, memory: taskMemory }] };
    const fargate = {
      family: `${prefix}fargate`,
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [{ name: 'app', image: IMAGE }],
    };
    ec2Definition = state.taskDefinitions.register({ ...ec2, raw: ec2 });
    fargateDefinition = state.taskDefinitions.register({ ...fargate, raw: fargate });
  };

  const resources = (): Resource[] => [
    { name: 'CPU', type: 'INTEGER', integerValue: instanceCpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: instanceMemory },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375', '2376', '51678', '51679'] },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] },
  ];

  const startOne = (): void => {
    const cluster = clusters[randomInt(random, clusters.length)] as ClusterRecord;
    const fargate = random() < fargateShare;
    try {
      live.push(...state.runTask(cluster, launchParams(fargate), 1, 'spread').tasks);
    } catch (error) {
      // A cluster without instances takes the task on Fargate instead.
      if (!(error instanceof AwsError) || fargate) throw error;
      live.push(...state.runTask(cluster, launchParams(true), 1, 'spread').tasks);
    }
  };

  const stopOne = (): void => {
    const index = randomInt(random, live.length);
    const task = live[index] as TaskRecord;
    live[index] = live[live.length - 1] as TaskRecord;
    live.pop();
    if (task.desiredStatus !== 'RUNNING') return;
    const roll = random();
    let params: StopParams;
    if (task.lastStatus === 'PENDING' && roll < 0.5) {
      params = {
        stopCode: 'TaskFailedToStart',
        reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
        containerReason: 'CannotPullContainerError',
      };
    } else if (roll < 0.2) {
      params = { stopCode: 'EssentialContainerExited', reason: 'Essential container in task exited', exitCode: 1 };
    } else {
      params = { stopCode: 'UserInitiated', reason: 'Scaled down by workload', exitCode: 0 };
    }
    state.stopTask(task, params);
  };

  const step = (operations: number): void => {
    if (clusters.length === 0) throw new Error('workload: call setup() first');
    for (let i = 0; i < operations; i++) {
      if (live.length === 0 || random() < 0.5) startOne();
      else stopOne();
    }
  };

  return {
    clusterNames,
    setup() {
      if (clusters.length > 0) throw new Error('workload: setup() already ran');
      const publish = options.publishPopulation ?? false;
      const build = (): void => {
        registerDefinitions();
        for (const [i, name] of clusterNames.entries()) {
          const short = Math.floor((i + 1) * shortShare) > Math.floor(i * shortShare);
          const cluster = state.createCluster(name, [{ key: ARN_FORMAT_TAG, value: short ? 'short' : 'long' }]);
          clusters.push(cluster);
          for (let n = 0; n < options.instancesPerCluster; n++) {
            state.registerContainerInstance(cluster, { totalResources: resources() });
          }
          const ec2 = state.populateRunningTasks(cluster, launchParams(false), ec2Populated, publish);
          live.push(...ec2);
          live.push(...state.populateRunningTasks(cluster, launchParams(true), populated - ec2.length, publish));
        }
      };
      if (publish) build();
      else state.silently(build);
    },
    step,
    start() {
      if (timer) return;
      const tickMs = options.tickMs ?? 50;
      const rate = options.ratePerSecond ?? 10;
      let due = 0;
      let last = Date.now();
      timer = setInterval(() => {
        const now = Date.now();
        due += ((now - last) / 1000) * rate;
        last = now;
        const operations = Math.floor(due);
        due -= operations;
        step(operations);
      }, tickMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
