import { eventually } from '@ecs-state/test-support';
import { parseKeyPrefix } from '@ecs-state/domain';
import { createEtcdClient } from '@ecs-state/etcd-store';
import { describeOnDedicatedEtcd } from '@ecs-state/test-services';
import type { Etcd3 } from 'etcd3';
import { StateView, StoreUnavailableError, type ViewChange } from '../src';
import { task, writer } from './support/records';

const STORE_TIMEOUT_MS = 2000;

/**
 * A subscription older than the history needs etcd; when etcd is stalled or down it
 * fails in bounded time with StoreUnavailableError, and works again once etcd is
 * back. Dedicated etcd: it is paused and killed.
 */
describeOnDedicatedEtcd('subscribeFrom while etcd is away', (etcd) => {
  let client: Etcd3;
  let view: StateView;
  let firstRevision: number;

  beforeAll(async () => {
    const prefix = parseKeyPrefix('/subscribe-faults');
    if (!prefix.ok) throw new Error(prefix.message);
    client = createEtcdClient({ endpoints: [etcd().endpoint], prefix: prefix.value, dialTimeoutMs: 1000, requestTimeoutMs: STORE_TIMEOUT_MS });
    const store = writer(client, prefix.value);
    firstRevision = (await store.upsertOneIfNewer(task({ id: 'f1', version: 1 }))).revision;
    for (let version = 2; version <= 4; version++) await store.upsertOneIfNewer(task({ id: 'f1', version }));
    view = new StateView({ client, prefix: prefix.value, historySize: 1, probeIntervalMs: 100, storeTimeoutMs: STORE_TIMEOUT_MS });
    await view.start();
  }, 30_000);
  afterAll(async () => {
    etcd().resume();
    await view.stop();
    client.close();
  });

  const subscribe = (signal?: AbortSignal) => {
    const changes: ViewChange[] = [];
    const subscription = view.subscribeFrom(firstRevision - 1, (batch) => changes.push(...batch), () => undefined, signal ? { signal } : {});
    return { changes, subscription };
  };
  const outcome = (promise: Promise<unknown>) => promise.then(() => 'subscribed', (error: unknown) => error);

  it.each([
    ['stalled (SIGSTOP)', () => Promise.resolve(etcd().pause()), () => Promise.resolve(etcd().resume())],
    ['down (SIGKILL)', () => etcd().kill(), () => etcd().start()],
  ])('rejects with StoreUnavailableError within the store timeout while etcd is %s, then serves again', async (_state, stop, restore) => {
    expect(view.canServeFrom(firstRevision - 1)).toBe(false);
    await stop();
    try {
      const started = Date.now();
      const error = await outcome(subscribe().subscription);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      // The store timeout, late by what a slow machine adds, and short of a second attempt's worth.
      expect(Date.now() - started).toBeLessThan(2 * STORE_TIMEOUT_MS);
    } finally {
      await restore();
    }
    // The etcd client's breaker may still be open for a moment.
    let again = subscribe();
    for (const deadline = Date.now() + 15_000; (await outcome(again.subscription)) !== 'subscribed' && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 200));
      again = subscribe();
    }
    await eventually('again.changes.length === 4', () => again.changes.length === 4, { timeoutMs: 15_000 });
    (await again.subscription).close();
  }, 40_000);

  it('rejects with the caller signal reason when the caller gives up first', async () => {
    etcd().pause();
    try {
      const reason = new Error('client left');
      const controller = new AbortController();
      const pending = outcome(subscribe(controller.signal).subscription);
      setTimeout(() => controller.abort(reason), 100);
      expect(await pending).toBe(reason);
    } finally {
      etcd().resume();
    }
  });
});
