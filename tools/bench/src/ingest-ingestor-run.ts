import { measureIngestorReplicas, type IngestorRunResult, type IngestorRunSetup } from './ingestor-replicas';

export type { IngestorRunResult } from './ingestor-replicas';

export interface IngestorRunOptions extends IngestorRunSetup {
  readonly queueName: string;
  /** INGEST_* settings for this run. */
  readonly settings: Readonly<Record<string, string>>;
  readonly messages: number;
}

/**
 * Starts the real ingestor (the built bundle, as it ships) on a pre-filled queue
 * and measures from its readiness until the queue is empty. The ingestor deletes
 * a message only once its record is durable in etcd, so an empty queue means
 * everything is written.
 */
export async function runIngestor(options: IngestorRunOptions): Promise<IngestorRunResult> {
  return measureIngestorReplicas({
    ...options,
    nodeArgs: profilerArgs(),
    env: { QUEUE_NAME: options.queueName, ...options.settings },
    total: options.messages,
    async done() {
      const counts = await options.simulator.queueCounts(options.queueName);
      return options.messages - (counts.visible + counts.inFlight + counts.delayed);
    },
  });
}

/** Node.js flags for the ingestor from BENCH_INGESTOR_NODE_ARGS, so that a profiler can watch it run (e.g. --cpu-prof). */
function profilerArgs(): string[] {
  return (globalThis.process.env.BENCH_INGESTOR_NODE_ARGS ?? '').split(/\s+/).filter((a) => a !== '');
}
