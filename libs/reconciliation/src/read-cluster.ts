import type { ContainerInstance, DesiredStatus, Task } from '@aws-sdk/client-ecs';
import { ECS_PAGE_SIZE, type CountedEcs } from './counted-ecs';

/**
 * Every desired status, so that tasks being started and recently stopped are seen too.
 * The order follows a task's life (desired RUNNING becomes STOPPED, never back): a task
 * that changes status between two lists is found by the later one rather than missed.
 */
const DESIRED_STATUSES: readonly DesiredStatus[] = ['RUNNING', 'PENDING', 'STOPPED'];

export interface EcsClusterState {
  instances: ContainerInstance[];
  tasks: Task[];
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ECS_PAGE_SIZE) out.push(items.slice(i, i + ECS_PAGE_SIZE));
  return out;
}

/** Runs `work` over the batches, at most `parallel` at a time, keeping the order. */
async function mapBatches<T, R>(items: readonly T[], parallel: number, work: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const all = batches(items);
  const results: R[][] = new Array<R[]>(all.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, all.length) }, async () => {
    while (next < all.length) {
      const index = next++;
      results[index] = await work(all[index] as T[]);
    }
  });
  await Promise.all(lanes);
  return results.flat();
}

/**
 * What ECS reports for one cluster: the container instances (ListContainerInstances
 * without a filter lists every status but INACTIVE, plus `knownInstanceArns`) and the tasks of every desired status, each
 * list followed to its last page and described 100 at a time. An ARN listed
 * under two statuses (a task that stopped in between) is described once.
 */
export async function readClusterFromEcs(
  ecs: CountedEcs,
  clusterArn: string,
  parallel: number,
  knownInstanceArns: Iterable<string> = [],
): Promise<EcsClusterState> {
  // Deregistered (INACTIVE) instances are never listed but can still be described:
  // the stored ones are described too, so that their deregistration is not lost.
  const instanceArns = new Set([...(await ecs.listContainerInstanceArns(clusterArn)), ...knownInstanceArns]);
  const taskArns = new Set<string>();
  for (const status of DESIRED_STATUSES) {
    for (const arn of await ecs.listTaskArns(clusterArn, status)) taskArns.add(arn);
  }
  const [instances, tasks] = await Promise.all([
    mapBatches([...instanceArns], parallel, (batch) => ecs.describeContainerInstances(clusterArn, batch)),
    mapBatches([...taskArns], parallel, (batch) => ecs.describeTasks(clusterArn, batch)),
  ]);
  return { instances, tasks };
}
