import type { ContainerInstance, DesiredStatus, Service, Task } from '@aws-sdk/client-ecs';
import { DESCRIBE_SERVICES_BATCH, ECS_PAGE_SIZE, type CountedEcs } from './counted-ecs';

/**
 * Every desired status, so that tasks being started and recently stopped are seen too.
 * The order follows a task's life (desired RUNNING becomes STOPPED, never back): a task
 * that changes status between two lists is found by the later one rather than missed.
 */
const DESIRED_STATUSES: readonly DesiredStatus[] = ['RUNNING', 'PENDING', 'STOPPED'];

/** A service as DescribeServices answered, and when that call was sent (its snapshot's `describedAt`). */
export interface DescribedService {
  service: Service;
  describedAt: string;
}

export interface EcsClusterState {
  instances: ContainerInstance[];
  tasks: Task[];
  /** The services ECS lists (ACTIVE and DRAINING), as described; one deleted in between is left out. */
  services: DescribedService[];
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` over the batches, at most `parallel` at a time, keeping the order. */
async function mapBatches<T, R>(items: readonly T[], parallel: number, work: (batch: T[]) => Promise<R[]>, size = ECS_PAGE_SIZE): Promise<R[]> {
  const all = batches(items, size);
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
 * without a filter lists every status but INACTIVE, plus `knownInstanceArns`), the tasks of every desired status
 * and the services (ACTIVE and DRAINING), each list followed to its last page and
 * described 100 at a time (services 10 at a time). An ARN listed under two statuses
 * (a task that stopped in between) is described once.
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
  const serviceArns = await ecs.listServiceArns(clusterArn);
  const [instances, tasks, services] = await Promise.all([
    mapBatches([...instanceArns], parallel, (batch) => ecs.describeContainerInstances(clusterArn, batch)),
    mapBatches([...taskArns], parallel, (batch) => ecs.describeTasks(clusterArn, batch)),
    mapBatches(serviceArns, parallel, (batch) => describeServicesAt(ecs, clusterArn, batch), DESCRIBE_SERVICES_BATCH),
  ]);
  return { instances, tasks, services };
}

/**
 * The time is taken before the call: ECS answers with a state at least that recent, and
 * a deployment that starts while the call is under way keeps its later `updatedAt`, so
 * the ordering rule does not drop it as one this snapshot should have listed.
 */
async function describeServicesAt(ecs: CountedEcs, clusterArn: string, arns: string[]): Promise<DescribedService[]> {
  const describedAt = new Date().toISOString();
  const services = await ecs.describeServices(clusterArn, arns);
  // Deleted since it was listed: gone as much as one ECS no longer lists.
  return services.filter((service) => service.status !== 'INACTIVE').map((service) => ({ service, describedAt }));
}
