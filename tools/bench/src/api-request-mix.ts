import { clusterNameFromArn, type TaskRecord } from '@ecs-state/domain';

/** mulberry32: the same seed gives both servers the same request sequence. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gets of random tasks, as v1 clients send them: cluster name and URL-encoded task ARN. */
export function getPaths(tasks: readonly TaskRecord[], count: number, seed: number): string[] {
  const random = prng(seed);
  return Array.from({ length: count }, () => {
    const task = tasks[Math.floor(random() * tasks.length)] as TaskRecord;
    const cluster = clusterNameFromArn(task.clusterArn);
    if (!cluster.ok) throw new Error(`bad cluster ARN ${task.clusterArn}`);
    return `/v1/tasks/${cluster.value}/${encodeURIComponent(task.taskArn)}`;
  });
}

/** One page of 100 STOPPED tasks of a random cluster (given by ARN). */
export function listPaths(clusterArns: readonly string[], count: number, seed: number, base = '/v1/tasks'): string[] {
  const random = prng(seed);
  return Array.from({ length: count }, () => {
    const cluster = clusterArns[Math.floor(random() * clusterArns.length)] as string;
    return `${base}?cluster=${encodeURIComponent(cluster)}&status=stopped&limit=100`;
  });
}
