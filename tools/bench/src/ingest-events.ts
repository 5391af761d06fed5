import { parseEventMessage, type VersionedState } from '@ecs-state/domain';
import { createEcsService, createWorkload, mulberry32 } from '@ecs-state/ecs-sim';

export interface IngestEvents {
  /** Message bodies in queue order: EventBridge envelopes exactly as the simulated ECS emits them. */
  readonly bodies: readonly string[];
  /** The record each body carries, in the same order (what the ceiling run writes). */
  readonly records: readonly VersionedState[];
  readonly duplicates: number;
  readonly distinctResources: number;
}

export interface IngestEventOptions {
  readonly messages: number;
  readonly seed: number;
  /** Share of events delivered a second time, a little later (at-least-once delivery). */
  readonly duplicateShare: number;
  /** Events are shuffled within windows of this many, so versions of one resource arrive out of order. */
  readonly reorderWindow: number;
}

/**
 * Builds a realistic event stream with the simulator's ECS and workload: a
 * populated world (RUNNING tasks, container instances) followed by task starts
 * and stops, each task passing through several versions and every placement
 * bumping its instance. Then the stream is made as untidy as SQS delivers it.
 */
export function generateIngestEvents(options: IngestEventOptions): IngestEvents {
  const emitted: string[] = [];
  const ecs = createEcsService({ publisher: { publish: (body) => emitted.push(body) }, transitionDelayMs: 0, seed: options.seed });
  const clusters = 10;
  // About a third of the stream is the initial population, the rest churn.
  const tasksPerCluster = Math.max(1, Math.floor(options.messages / 3 / clusters));
  const workload = createWorkload(ecs, {
    seed: options.seed,
    clusters,
    instancesPerCluster: 20,
    tasksPerCluster,
    publishPopulation: true,
  });
  workload.setup();
  const target = Math.ceil(options.messages / (1 + options.duplicateShare));
  while (emitted.length < target) workload.step(Math.max(1, Math.ceil((target - emitted.length) / 4)));
  ecs.close();
  const original = emitted.slice(0, target);

  const random = mulberry32(options.seed);
  const stream = [...original];
  let duplicates = 0;
  for (let i = 0; i < original.length && stream.length < options.messages; i++) {
    if (random() < options.duplicateShare) {
      const at = Math.min(stream.length, i + 1 + Math.floor(random() * 200));
      stream.splice(at, 0, original[i] as string);
      duplicates += 1;
    }
  }
  for (let start = 0; start < stream.length; start += options.reorderWindow) {
    const end = Math.min(stream.length, start + options.reorderWindow);
    for (let i = end - 1; i > start; i--) {
      const j = start + Math.floor(random() * (i - start + 1));
      [stream[i], stream[j]] = [stream[j] as string, stream[i] as string];
    }
  }

  const records = stream.map((body): VersionedState => {
    const parsed = parseEventMessage(body);
    if (!parsed.ok) throw new Error(`the simulator emitted an event the service rejects: ${parsed.ignored ? parsed.detailType : parsed.reason}`);
    if (parsed.kind === 'service') throw new Error('the ingest benchmark runs no services, yet the simulator emitted a service event');
    return parsed.kind === 'task' ? { kind: 'task', record: parsed.record } : { kind: 'instance', record: parsed.record };
  });
  const arns = new Set(records.map((r) => (r.kind === 'task' ? r.record.taskArn : r.record.containerInstanceArn)));
  return { bodies: stream, records, duplicates, distinctResources: arns.size };
}
