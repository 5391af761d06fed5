import { eventually } from '@ecs-state/test-support';
import type { KeyPrefix, StateRecord } from '@ecs-state/domain';
import type { VersionedRecordStore } from '@ecs-state/etcd-store';
import { StateView } from '@ecs-state/state-view';
import type { Etcd3 } from 'etcd3';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { buildApiServer, projectApiRecord, type ApiServerOptions, type ApiView } from '../../src';
import { newClient, uniquePrefix, writer } from './records';

export interface Harness {
  client: Etcd3;
  prefix: KeyPrefix;
  store: VersionedRecordStore<StateRecord>;
  view: ApiView;
  app: FastifyInstance;
  /** Writes and waits until the view has applied the write. */
  put(...records: StateRecord[]): Promise<number>;
  del(key: string): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(name: string, options: Partial<ApiServerOptions> & { historySize?: number } = {}): Promise<Harness> {
  const client = newClient();
  const prefix = uniquePrefix(name);
  const store = writer(client, prefix);
  const view = new StateView({ client, prefix, historySize: options.historySize ?? 1000, probeIntervalMs: 100, project: projectApiRecord });
  await view.start();
  const app = await buildApiServer({ view, metrics: new Registry(), ...options });
  // Waits for the view to reach a write of this harness. Not etcd's current revision: other
  // suites write to the same etcd, and the view learns of their revisions only by probing.
  const settle = async (revision: number) => {
    await eventually('view.revision >= revision', () => view.revision >= revision, { timeoutMs: 20_000 });
    return revision;
  };
  return {
    client,
    prefix,
    store,
    view,
    app,
    async put(...records) {
      const outcomes = await store.upsertIfNewer(records);
      return settle(Math.max(...outcomes.map((o) => o.revision)));
    },
    async del(key) {
      const current = await store.get(key);
      if (!current.item) return settle(current.revision);
      return settle((await store.deleteIfUnchangedSince(key, current.item.modRevision)).revision);
    },
    async close() {
      await app.close();
      await view.stop();
      client.close();
    },
  };
}
