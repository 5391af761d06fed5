import { clusterNameFromArn, type TaskRecord } from '@ecs-state/domain';
import { mulberry32, randomInt } from '@ecs-state/ecs-sim';

/** Gets of random tasks, as v1 clients send them: cluster name and URL-encoded task ARN. */
export function getPaths(tasks: readonly TaskRecord[], count: number, seed: number): string[] {
  // The same seed gives both servers the same request sequence.
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const task = tasks[randomInt(random, tasks.length)] as TaskRecord;
    const cluster = clusterNameFromArn(task.clusterArn);
    if (!cluster.ok) throw new Error(`bad cluster ARN ${task.clusterArn}`);
    return `/v1/tasks/${cluster.value}/${encodeURIComponent(task.taskArn)}`;
  });
}

/** One page of 100 STOPPED tasks of a random cluster (given by ARN). */
export function listPaths(clusterArns: readonly string[], count: number, seed: number, base = '/v1/tasks'): string[] {
  // The same seed gives both servers the same request sequence.
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const cluster = clusterArns[randomInt(random, clusterArns.length)] as string;
    return `${base}?cluster=${encodeURIComponent(cluster)}&status=stopped&limit=100`;
  });
}
