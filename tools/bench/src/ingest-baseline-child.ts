/**
 * Runs one baseline of the ingest benchmark (the ceiling or the original
 * algorithm) in a process of its own, as the ingestor runs in its own: each
 * contender's CPU and heap are then its own. In the bench process they would
 * share a heap holding every event of the run, and pay for collecting it.
 *
 * Protocol: argv[2] is a JSON BaselineSpec. The process prepares, prints
 * `ready`, starts its clock on SIGUSR2 (so that the parent can begin sampling
 * CPU first), then prints `result <json>` and exits.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import { z } from 'zod';
import { runCeiling } from './ingest-ceiling';
import { generateIngestEvents } from './ingest-events';
import { runOriginal } from './ingest-original';
import { benchKeyPrefix } from './bench-key-prefix';

export const baselineSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ceiling'),
    etcdEndpoint: z.string(),
    prefix: z.string(),
    events: z.object({ messages: z.number().int(), seed: z.number().int() }),
    batch: z.number().int().min(1),
    inFlight: z.number().int().min(1),
  }),
  z.object({
    kind: z.literal('original'),
    etcdEndpoint: z.string(),
    prefix: z.string(),
    sqsEndpoint: z.string(),
    queueUrl: z.string(),
    limit: z.number().int().min(1),
    maxSeconds: z.number().min(1),
  }),
]);
export type BaselineSpec = z.infer<typeof baselineSpecSchema>;

export const baselineResultSchema = z.object({ count: z.number(), seconds: z.number(), perSecond: z.number(), sustainedPerSecond: z.number() });
export type BaselineResult = z.infer<typeof baselineResultSchema>;

function startSignal(): Promise<void> {
  return new Promise((resolve) => {
    // A signal listener alone does not keep Node running.
    const keepAlive = setInterval(() => undefined, 60_000);
    process.once('SIGUSR2', () => {
      clearInterval(keepAlive);
      resolve();
    });
    console.log('ready');
  });
}

async function main(): Promise<void> {
  const spec = baselineSpecSchema.parse(JSON.parse(process.argv[2] ?? ''));
  const etcd = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: spec.etcdEndpoint }));
  let result: BaselineResult;
  if (spec.kind === 'ceiling') {
    // The same deterministic stream as the bench process generated.
    const { records } = generateIngestEvents({ messages: spec.events.messages, seed: spec.events.seed, duplicateShare: 0.05, reorderWindow: 50 });
    const store = new ClusterStateStore({ client: etcd, prefix: benchKeyPrefix(spec.prefix) });
    await startSignal();
    const ceiling = await runCeiling(store, records, spec.batch, spec.inFlight);
    result = { count: ceiling.records, seconds: ceiling.seconds, perSecond: ceiling.perSecond, sustainedPerSecond: ceiling.sustainedPerSecond };
    await store.close();
  } else {
    // The ingestor's client settings (QueueConnections), so that the comparison is of the algorithms.
    const sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: spec.sqsEndpoint,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      cacheMiddleware: true,
      md5: false,
    });
    await startSignal();
    const original = await runOriginal(sqs, spec.queueUrl, etcd, spec.prefix, spec.limit, spec.maxSeconds);
    result = { count: original.messages, seconds: original.seconds, perSecond: original.perSecond, sustainedPerSecond: original.sustainedPerSecond };
    sqs.destroy();
  }
  console.log(`result ${JSON.stringify(result)}`);
  etcd.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
