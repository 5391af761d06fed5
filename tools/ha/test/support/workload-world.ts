import { HaWorld } from './ha-world';

/** The simulator's event queue, which the scenario's ingestors read. */
export const EVENT_QUEUE = 'ecs-events';

/** What a scenario's workload varies: its size, its pace once started, and its seed. */
export interface WorkloadShape {
  readonly clusters: number;
  readonly tasksPerCluster: number;
  readonly ratePerSecond: number;
  readonly seed: number;
}

/**
 * An HaWorld whose simulator runs a workload of two instances a cluster: the population's
 * events are published to EVENT_QUEUE up front, its changes wait for `sim.workload.start()`.
 */
export function startWorkloadWorld(name: string, shape: WorkloadShape): Promise<HaWorld> {
  return HaWorld.start(name, {
    queues: [EVENT_QUEUE],
    eventQueue: EVENT_QUEUE,
    workload: { ...shape, instancesPerCluster: 2, publishPopulation: true, start: false },
  });
}
