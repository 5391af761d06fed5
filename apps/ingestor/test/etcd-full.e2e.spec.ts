import { eventually } from '@ecs-state/test-support';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { startEtcd, testRedisUrl, type EtcdServer } from '@ecs-state/local-services';
import { expectStoreToMatchTruth, type IngestorProcess, ServiceProcess } from '@ecs-state/test-services';
import { createEtcdClient, ETCD_STATUS_METRICS, loadEtcdConfig } from '@ecs-state/etcd-store';
import { INGEST_METRICS } from '@ecs-state/ingestion';
import { VIEW_METRICS } from '@ecs-state/rest-api';
import type { Etcd3 } from 'etcd3';
import { DLQ, E2eWorld, QUEUE } from './support/e2e-world';

jest.setTimeout(240_000);

const QUOTA = 4 * 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const etcdStatusEnv = { ETCD_QUOTA_BACKEND_BYTES: String(QUOTA), ETCD_STATUS_INTERVAL_MS: '300' };

async function queueDepth(world: E2eWorld, name: string): Promise<number> {
  const { QueueUrl } = await world.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  const { Attributes } = await world.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
}

/** One sample of Prometheus text at `url`, or undefined. */
async function metric(url: string, series: string): Promise<number | undefined> {
  const text = await (await fetch(url)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function readiness(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

/** Overwrites one key with 64 KiB values until etcd refuses: its history fills the quota. */
async function fill(client: Etcd3): Promise<void> {
  const value = Buffer.alloc(64 * 1024, 'x');
  for (let i = 0; i < 1000; i++) {
    try {
      await client.put('/filler').value(value);
    } catch (error) {
      if (String(error).includes('database space exceeded')) return;
      throw error;
    }
  }
  throw new Error('etcd never filled up');
}

/** What the deploy guide tells an operator to do: compact, defragment, disarm. */
async function freeSpace(client: Etcd3): Promise<void> {
  await client.delete().key('/filler');
  const { header } = await client.maintenance.status();
  await client.kv.compact({ revision: header.revision, physical: true });
  await client.maintenance.defragment();
  const { alarms } = await client.maintenance.alarm({ action: 'Get', alarm: 'None', memberID: 0 });
  for (const a of alarms) await client.maintenance.alarm({ action: 'Deactivate', alarm: a.alarm, memberID: a.memberID });
}

describe('a full etcd (NOSPACE), every service running', () => {
  let etcd: EtcdServer;
  let admin: Etcd3;
  let world: E2eWorld;
  const processes: ServiceProcess[] = [];

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await world?.close();
    admin?.close();
    await etcd?.stop();
  });

  it('loses nothing, says why on /readyz and in metrics, neither crashes nor spins, and resumes by itself once an operator frees space', async () => {
    etcd = await startEtcd({ quotaBackendBytes: QUOTA });
    // The services' client: a refused write does not open its circuit breaker.
    admin = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: etcd.endpoint }));
    world = new E2eWorld(etcd.endpoint);
    await world.start({ workload: { clusters: 2, instancesPerCluster: 2, tasksPerCluster: 10, publishPopulation: true, ratePerSecond: 40, start: false, seed: 3 } });

    const ingestor: IngestorProcess = await world.startIngestor({ ...etcdStatusEnv, INGEST_POLLERS: '4' });
    const reconciler = new ServiceProcess({
      main: 'apps/reconciler/src/main.ts',
      readyMessage: 'reconciler started',
      env: {
        ...etcdStatusEnv,
        REDIS_URL: testRedisUrl(),
        RECONCILE_QUEUE_PREFIX: `etcd-full-${world.prefix.slice(1)}`,
        RECONCILE_INTERVAL: '2s',
        RECONCILE_ON_EMPTY_STORE: 'false',
        RECONCILE_CLUSTER_ATTEMPTS: '1',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_ECS: world.sim.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        ETCD_ENDPOINTS: etcd.endpoint,
        ETCD_PREFIX: world.prefix,
        METRICS_PORT: '0',
      },
    });
    processes.push(reconciler);
    const reconcilerOps = `http://127.0.0.1:${Number((await reconciler.start()).opsPort)}`;
    const api = new ServiceProcess({
      main: 'apps/api/src/main.ts',
      readyMessage: 'api listening',
      env: { ...etcdStatusEnv, ETCD_ENDPOINTS: etcd.endpoint, ETCD_PREFIX: world.prefix, PORT: '0', METRICS_PORT: '0', HOST: '127.0.0.1', VIEW_PROBE_INTERVAL_MS: '200' },
    });
    processes.push(api);
    const apiReady = await api.start();
    const apiUrl = String(apiReady.url);
    const apiOps = `http://127.0.0.1:${Number(apiReady.metricsPort)}`;
    const ingestorOps = `http://127.0.0.1:${ingestor.opsPort}`;

    await fill(admin);
    world.sim.workload!.start();
    await sleep(2000);
    world.sim.workload!.stop();
    await world.eventsDelivered();

    // Every service says why it is not ready, naming the alarm, and exports it.
    for (const url of [`${ingestorOps}/readyz`, `${reconcilerOps}/readyz`, `${apiUrl}/readyz`, `${apiOps}/readyz`]) {
      await eventually(`${url} to answer 503`, async () => (await readiness(url)).status === 503, { timeoutMs: 30_000, intervalMs: 100 });
      expect((await readiness(url)).body).toContain('etcd alarm NOSPACE');
    }
    expect(await metric(`${ingestorOps}/metrics`, `${ETCD_STATUS_METRICS.alarm}{alarm="NOSPACE",service="ingestor"}`)).toBe(1);
    expect(await metric(`${reconcilerOps}/metrics`, `${ETCD_STATUS_METRICS.alarm}{alarm="NOSPACE",service="reconciler"}`)).toBe(1);
    expect(await metric(`${apiUrl}/metrics`, `${ETCD_STATUS_METRICS.alarm}{alarm="NOSPACE",service="api"}`)).toBe(1);
    expect(await metric(`${ingestorOps}/metrics`, `${ETCD_STATUS_METRICS.quotaBytes}{service="ingestor"}`)).toBe(QUOTA);

    // A scheduled reconcile finds the missing changes and fails to write them, naming the full etcd.
    await eventually('a reconcile run to fail naming the full etcd', async () => reconciler.logs.some((l) => l.message === 'cluster reconcile failed' && JSON.stringify(l.errors).includes('NOSPACE')), { timeoutMs: 60_000, intervalMs: 100 });

    // The messages wait in the queue: none deleted, none dead-lettered; the ingestor stopped receiving.
    const waiting = await queueDepth(world, QUEUE);
    expect(waiting).toBeGreaterThan(0);
    // A count that stops moving is what shows it does not spin: sampled every 1.5 s until two samples agree, as
    // a batch received before the pause may still fail late on a busy machine. The bound only says the failures
    // were few: each of the 4 pollers may lose a batch when etcd fills, and on a loaded machine another before
    // the status read that confirms the alarm pauses receiving.
    let sampled = await ingestor.metric(INGEST_METRICS.etcdErrors);
    const etcdErrors = await eventually('the failed writes to stop (a count flat for 1.5 s)', async () => {
      await sleep(1500);
      const now = await ingestor.metric(INGEST_METRICS.etcdErrors);
      const flat = now === sampled;
      sampled = now;
      return flat ? now : undefined;
    }, { timeoutMs: 30_000, intervalMs: 0 });
    expect(etcdErrors).toBeLessThanOrEqual(3 * 4);
    expect(await metric(`${ingestorOps}/metrics`, `${ETCD_STATUS_METRICS.lastWriteAgeSeconds}{service="ingestor"}`)).toBeGreaterThanOrEqual(1.5);
    expect(await queueDepth(world, DLQ)).toBe(0);

    // The api serves reads from its view meanwhile.
    expect((await fetch(`${apiUrl}/v1/tasks`)).status).toBe(200);

    await freeSpace(admin);
    const freedAt = Date.now();
    await expectStoreToMatchTruth(world.sim, world.store, 60_000);
    await eventually('every waiting message to be written and deleted', async () => (await queueDepth(world, QUEUE)) === 0, { timeoutMs: 45_000, intervalMs: 100 });
    expect(await queueDepth(world, DLQ)).toBe(0);
    for (const url of [`${ingestorOps}/readyz`, `${reconcilerOps}/readyz`, `${apiUrl}/readyz`, `${apiOps}/readyz`]) {
      await eventually(`${url} to answer 200`, async () => (await readiness(url)).status === 200, { timeoutMs: 30_000, intervalMs: 100 });
    }
    expect(await metric(`${ingestorOps}/metrics`, `${ETCD_STATUS_METRICS.alarm}{alarm="NOSPACE",service="ingestor"}`)).toBe(0);
    // Writes and watch events are recent again: the last of each came after the space was freed (the workload had stopped before).
    const lastWriteAge = await metric(`${ingestorOps}/metrics`, `${ETCD_STATUS_METRICS.lastWriteAgeSeconds}{service="ingestor"}`);
    const lastEventAge = await metric(`${apiUrl}/metrics`, `${VIEW_METRICS.lastEventAge}{service="api"}`);
    const sinceFreed = (Date.now() - freedAt) / 1000;
    expect(lastWriteAge).toBeLessThan(sinceFreed);
    expect(lastEventAge).toBeLessThan(sinceFreed);
    expect(lastEventAge).toBeGreaterThanOrEqual(0);
    expect(await metric(`${reconcilerOps}/metrics`, `${ETCD_STATUS_METRICS.dbSizeBytes}{service="reconciler"}`)).toBeLessThan(QUOTA);
    for (const p of processes.concat(world.ingestors)) expect(p.stderr).not.toContain('Error');
  });
});
