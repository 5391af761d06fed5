import { eventually } from '@ecs-state/test-support';
import { parseKeyPrefix, type KeyPrefix } from '@ecs-state/domain';
import { createEtcdClient, stateRecordCodec, VersionedRecordStore } from '@ecs-state/etcd-store';
import { describeOnDedicatedEtcd } from '@ecs-state/test-services';
import { StateView } from '@ecs-state/state-view';
import type { Etcd3 } from 'etcd3';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { buildApiServer, projectApiRecord, type ApiView } from '../src';
import { task } from './support/records';
import { StreamClient } from './support/stream-client';
import { listenOnLoopback } from './support/listen-on-loopback';

const CAP = 20;
const STORE_TIMEOUT_MS = 1500;

/**
 * The stream cap counts a stream from its admission, through the etcd round trip of a
 * start older than the view's history, to its end; every way out frees its place.
 * A dedicated etcd (paused to hold opens in their round trip) and a one-change history,
 * so that every open from revision 1 needs that round trip.
 */
describeOnDedicatedEtcd('the stream cap with opens that wait for etcd', (etcd) => {
  let client: Etcd3;
  let keyPrefix: KeyPrefix;
  let view: ApiView;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    const prefix = parseKeyPrefix('/stream-cap-admission');
    if (!prefix.ok) throw new Error(prefix.message);
    keyPrefix = prefix.value;
    client = createEtcdClient({ endpoints: [etcd().endpoint], prefix: prefix.value, dialTimeoutMs: 1000, requestTimeoutMs: STORE_TIMEOUT_MS });
    const store = new VersionedRecordStore({ client, codec: stateRecordCodec(prefix.value) });
    for (let version = 1; version <= 3; version++) await store.upsertIfNewer([task({ id: 'cap1', cluster: 'cap', version })]);
    view = new StateView({ client, prefix: prefix.value, historySize: 1, probeIntervalMs: 100, storeTimeoutMs: STORE_TIMEOUT_MS, project: projectApiRecord });
    await view.start();
    // fetch may leave a connection it never sent a request on; the request timeout lets close() end it soon.
    app = await buildApiServer({ view, metrics: new Registry(), stream: { maxClients: CAP }, requestTimeoutMs: 2000 });
    url = await listenOnLoopback(app);
  }, 30_000);
  afterAll(async () => {
    etcd().resume();
    await app.close();
    await view.stop();
    client.close();
  });

  /** Streams open or being opened, as the server counts them. */
  const registered = async () => ((await app.inject({ url: '/readyz' })).json() as { view: { streamClients: number } }).view.streamClients;
  const openFromEtcd = () => StreamClient.open(`${url}/v1/stream/tasks?afterRevision=1`);
  const expectAllReleased = async () => {
    await eventually('view.status().subscribers === 0', () => view.status().subscribers === 0, { timeoutMs: 5000 });
    await eventually('every stream place to be free', async () => (await registered()) === 0, { timeoutMs: 5000 });
    const again = await openFromEtcd();
    try {
      expect(again.status).toBe(200);
      await eventually('again.json().length > 0', () => again.json().length > 0, { timeoutMs: 5000 });
    } finally {
      again.close();
    }
  };

  it('admits no more than the cap when twice as many arrive at once while etcd is slow', async () => {
    etcd().pause();
    let clients: StreamClient[];
    let whileWaiting: number;
    try {
      let refusedEarly = 0;
      const opening = Array.from({ length: 2 * CAP }, () =>
        openFromEtcd().then((c) => {
          if (c.status === 503) refusedEarly += 1;
          return c;
        }),
      );
      // Every open has reached the server and waits for etcd, or was refused.
      whileWaiting = await eventually('every open admitted or refused', async () => {
        const admitted = await registered();
        return admitted + refusedEarly >= 2 * CAP && admitted;
      }, { timeoutMs: 15_000, context: () => `refused so far: ${refusedEarly}` });
      etcd().resume();
      clients = await Promise.all(opening);
    } finally {
      etcd().resume();
    }
    try {
      const statuses = clients.map((c) => c.status);
      expect({ served: statuses.filter((s) => s === 200).length, refused: statuses.filter((s) => s === 503).length }).toEqual({ served: CAP, refused: CAP });
      // The places were taken at admission, before etcd answered.
      expect(whileWaiting).toBe(CAP);
      const refused = clients.find((c) => c.status === 503)!;
      expect(refused.headers['retry-after']).toBe('5');
      await eventually('refused.ended', () => refused.ended, { timeoutMs: 5000 });
      expect(refused.lines.join('\n')).toBe('Too many stream clients');
      expect(await registered()).toBe(CAP);
    } finally {
      for (const c of clients) c.close();
    }
    await expectAllReleased();
  }, 30_000);

  it('frees the place of a client that leaves while its stream waits for etcd', async () => {
    etcd().pause();
    let whileWaiting: number;
    let afterLeaving: number;
    try {
      const leaving = Array.from({ length: CAP }, () => new AbortController());
      const opens = leaving.map((controller) => fetch(`${url}/v1/stream/tasks?afterRevision=1`, { signal: controller.signal }).then((r) => r.status, () => 'left'));
      whileWaiting = await eventually('every open admitted', async () => {
        const admitted = await registered();
        return admitted >= CAP && admitted;
      }, { timeoutMs: 15_000 });
      for (const controller of leaving) controller.abort();
      expect(await Promise.all(opens)).toEqual(leaving.map(() => 'left'));
      // Their places are free before etcd even answers.
      await eventually('the places of the clients that left to be free', async () => (await registered()) === 0, { timeoutMs: 5000 });
      afterLeaving = await registered();
    } finally {
      etcd().resume();
    }
    await expectAllReleased();
    expect({ whileWaiting, afterLeaving }).toEqual({ whileWaiting: CAP, afterLeaving: 0 });
  }, 30_000);

  it('frees the places of opens that fail because etcd does not answer (503 naming etcd)', async () => {
    etcd().pause();
    let answers: { status: number; body: string; retryAfter: string | null }[];
    try {
      answers = await Promise.all(
        Array.from({ length: 3 }, async () => {
          const response = await fetch(`${url}/v1/stream/tasks?afterRevision=1`);
          return { status: response.status, body: await response.text(), retryAfter: response.headers.get('retry-after') };
        }),
      );
    } finally {
      etcd().resume();
    }
    expect(answers).toEqual(Array.from({ length: 3 }, () => ({ status: 503, body: 'etcd is unavailable; retry later\n', retryAfter: '5' })));
    expect(await registered()).toBe(0);
    // The etcd client's breaker may refuse for a few seconds after failures.
    await eventually(
      'a stream to open once etcd answers again',
      async () => {
        const probe = await fetch(`${url}/v1/stream/tasks?afterRevision=1`);
        await probe.body?.cancel();
        return probe.status === 200;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    await expectAllReleased();
  }, 40_000);

  it('gives up an open still waiting for etcd when the server shuts down: 503, and close() is not held up', async () => {
    // Its own view and server with long timeouts, so that neither the store timeout nor the
    // shutdown's sweep of connections can be what ends the wait within the bound below.
    const slowView = new StateView({ client, prefix: keyPrefix, historySize: 1, probeIntervalMs: 100, storeTimeoutMs: 60_000, project: projectApiRecord });
    await slowView.start();
    const other = await buildApiServer({ view: slowView, stream: { maxClients: CAP }, requestTimeoutMs: 60_000 });
    const otherUrl = await listenOnLoopback(other);
    etcd().pause();
    try {
      const waiting = fetch(`${otherUrl}/v1/stream/tasks?afterRevision=1`).then(async (r) => ({
        status: r.status,
        body: await r.text(),
        retryAfter: r.headers.get('retry-after'),
      }));
      const streamClients = async () => ((await other.inject({ url: '/readyz' })).json() as { view: { streamClients: number } }).view.streamClients;
      await eventually('the open admitted', async () => (await streamClients()) === 1, { timeoutMs: 15_000 });
      const started = Date.now();
      await other.close();
      expect({ answer: await waiting, closedInTime: Date.now() - started < 15_000 }).toEqual({
        answer: { status: 503, body: 'The server is shutting down; retry later\n', retryAfter: '5' },
        closedInTime: true,
      });
    } finally {
      etcd().resume();
      await slowView.stop();
    }
  }, 40_000);
});
