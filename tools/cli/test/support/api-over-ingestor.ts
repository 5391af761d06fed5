import { randomUUID } from 'node:crypto';
import { ECSClient } from '@aws-sdk/client-ecs';
import { parseKeyPrefix, type KeyPrefix } from '@ecs-state/domain';
import type { Simulator } from '@ecs-state/ecs-sim';
import { testEtcdEndpoints } from '@ecs-state/local-services';
import { buildApiServer, projectApiRecord, type ApiView } from '@ecs-state/rest-api';
import { StateView } from '@ecs-state/state-view';
import { IngestorProcess } from '@ecs-state/test-services';
import { eventually } from '@ecs-state/test-support';
import { Etcd3 } from 'etcd3';
import type { FastifyInstance } from 'fastify';
import { TOKEN } from './cli-world';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface ApiOverIngestorOptions {
  /** The simulator's event queue, which the ingestor consumes. */
  queue: string;
  /** Start of the key prefix; a random suffix keeps concurrent runs apart. */
  prefixLabel: string;
  ingestorEnv?: Record<string, string>;
}

/**
 * The REST API as deployed over a simulator: its events ingested into real etcd by the
 * real ingestor process, and the API over a view of that etcd, under a prefix of its own.
 */
export interface ApiOverIngestor {
  /** An ECS client on the simulator. */
  ecs: ECSClient;
  etcd: Etcd3;
  prefix: KeyPrefix;
  apiUrl: string;
  /** Resolves with the first defined answer of `probe`, or throws after 20 s. */
  until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T>;
  /** Stops the API, the view and the ingestor; `clear` removes the keys written under `prefix` before the etcd client closes. */
  close(clear: (etcd: Etcd3, prefix: KeyPrefix) => Promise<void>): Promise<void>;
}

export async function startApiOverIngestor(sim: Simulator, options: ApiOverIngestorOptions): Promise<ApiOverIngestor> {
  const ecs = new ECSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  const parsed = parseKeyPrefix(`${options.prefixLabel}-${randomUUID().slice(0, 8)}`);
  if (!parsed.ok) throw new Error(parsed.message);
  const prefix = parsed.value;
  const etcd = new Etcd3({ hosts: testEtcdEndpoints().split(',') });
  const ingestor = new IngestorProcess({
    simulatorEndpoint: sim.endpoint,
    etcdEndpoints: testEtcdEndpoints(),
    etcdPrefix: prefix,
    queueName: options.queue,
    ...(options.ingestorEnv === undefined ? {} : { env: options.ingestorEnv }),
  });
  await ingestor.start();
  const view: ApiView = new StateView({ client: etcd, prefix, probeIntervalMs: 100, project: projectApiRecord });
  await view.start();
  const app: FastifyInstance = await buildApiServer({ view, tokens: [TOKEN], stream: { heartbeatMs: 1000 } });
  const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  return {
    ecs,
    etcd,
    prefix,
    apiUrl,
    until: (what, probe) => eventually(what, probe, { timeoutMs: 45_000, intervalMs: 100 }),
    async close(clear) {
      await app.close();
      await view.stop();
      await ingestor.kill();
      ecs.destroy();
      await clear(etcd, prefix);
      etcd.close();
    },
  };
}
