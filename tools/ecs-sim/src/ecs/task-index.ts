import type { TaskDesiredStatus, TaskRecord } from './model';
import { type IndexPage, OrderedIndex } from './ordered-index';

/** The ListTasks filters, already resolved to ARNs. */
export interface TaskQuery {
  readonly clusterArn: string;
  readonly desiredStatus: TaskDesiredStatus;
  readonly containerInstanceArn?: string;
  readonly family?: string;
  readonly startedBy?: string;
  readonly group?: string;
  readonly launchType?: string;
}

/**
 * Tasks indexed by cluster and desired status, and within that by each ListTasks
 * filter, so that a page of any single-filter listing costs O(page) however many
 * tasks the cluster holds. A multi-filter listing walks the smallest matching index.
 */
export class TaskIndexes {
  private readonly indexes = new Map<string, OrderedIndex<TaskRecord>>();

  private static keysOf(task: TaskRecord): string[] {
    const base = `${task.cluster.arn}|${task.desiredStatus}`;
    const keys = [
      `c|${base}`,
      `f|${base}|${task.taskDefinition.family}`,
      `g|${base}|${task.group}`,
      `l|${base}|${task.launchType}`,
    ];
    if (task.instance) keys.push(`i|${base}|${task.instance.arn}`);
    if (task.startedBy !== undefined) keys.push(`s|${base}|${task.startedBy}`);
    return keys;
  }

  private static keysFor(query: TaskQuery): string[] {
    const base = `${query.clusterArn}|${query.desiredStatus}`;
    const keys = [`c|${base}`];
    if (query.family !== undefined) keys.push(`f|${base}|${query.family}`);
    if (query.group !== undefined) keys.push(`g|${base}|${query.group}`);
    if (query.launchType !== undefined) keys.push(`l|${base}|${query.launchType}`);
    if (query.containerInstanceArn !== undefined) keys.push(`i|${base}|${query.containerInstanceArn}`);
    if (query.startedBy !== undefined) keys.push(`s|${base}|${query.startedBy}`);
    return keys;
  }

  add(task: TaskRecord): void {
    for (const key of TaskIndexes.keysOf(task)) {
      let index = this.indexes.get(key);
      if (!index) {
        index = new OrderedIndex(key);
        this.indexes.set(key, index);
      }
      task.indexSlots.push(index.add(task));
    }
  }

  remove(task: TaskRecord): void {
    for (const slot of task.indexSlots) {
      slot.owner.remove(slot);
      if (slot.owner.size === 0) this.indexes.delete(slot.owner.name);
    }
    task.indexSlots.length = 0;
  }

  /** Tasks of one cluster with one desired status, in the order they entered it. */
  *inCluster(clusterArn: string, desiredStatus: TaskDesiredStatus): IterableIterator<TaskRecord> {
    const index = this.indexes.get(`c|${clusterArn}|${desiredStatus}`);
    if (index) yield* index.values();
  }

  /** The index a query walks: the one named by `resumeKey`, or else the smallest that applies. */
  chooseIndex(query: TaskQuery, resumeKey?: string): string | undefined {
    const keys = TaskIndexes.keysFor(query);
    if (resumeKey !== undefined) return keys.includes(resumeKey) ? resumeKey : undefined;
    let best = keys[0] as string;
    let bestSize = Number.POSITIVE_INFINITY;
    for (const key of keys) {
      const size = this.indexes.get(key)?.size ?? 0;
      if (size < bestSize) {
        best = key;
        bestSize = size;
      }
    }
    return best;
  }

  page(key: string, query: TaskQuery, after: number, limit: number): IndexPage<TaskRecord> {
    const index = this.indexes.get(key);
    if (!index) return { items: [] };
    return index.page(after, limit, (task) => matches(task, query));
  }
}

function matches(task: TaskRecord, query: TaskQuery): boolean {
  return (
    (query.family === undefined || task.taskDefinition.family === query.family) &&
    (query.group === undefined || task.group === query.group) &&
    (query.launchType === undefined || task.launchType === query.launchType) &&
    (query.containerInstanceArn === undefined || task.instance?.arn === query.containerInstanceArn) &&
    (query.startedBy === undefined || task.startedBy === query.startedBy)
  );
}
