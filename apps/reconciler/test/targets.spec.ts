import { RECONCILE_METRICS } from '@ecs-state/reconciliation';
import { eventually } from '@ecs-state/test-support';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReconcileRunView } from '@ecs-state/reconcile-jobs';
import { ServiceProcess } from '@ecs-state/test-services';
import { CREDENTIALS, startService, startWorld, testEnv, type StartedService, type World } from './support';

jest.setTimeout(120_000);

const A = { accountId: '111111111111', region: 'us-east-1' };
const B = { accountId: '222222222222', region: 'eu-west-1' };
const TARGET_A = `aws/us-east-1/${A.accountId}`;
const TARGET_B = `aws/eu-west-1/${B.accountId}`;

function finished(service: StartedService, id: string): Promise<ReconcileRunView> {
  return eventually(`run ${id}`, async () => {
    const view = await service.service.worker.client.get(id);
    return view !== null && (view.state === 'completed' || view.state === 'failed') ? view : null;
  }, { timeoutMs: 60_000 });
}

function targetsOf(a: World, b: World): string {
  return JSON.stringify([
    { account: A.accountId, region: A.region, endpoint: a.sim.endpoint },
    { account: B.accountId, region: B.region, endpoint: b.sim.endpoint },
  ]);
}

async function metric(service: StartedService, name: string, labels: Record<string, string>): Promise<number> {
  const found = (await service.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (found?.values ?? []).filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return values.reduce((sum, v) => sum + Number(v.value), 0);
}

describe('reconciler targets', () => {
  let a: World;
  let b: World;
  const services: StartedService[] = [];
  beforeEach(async () => {
    // The same cluster names (c0, c1) in two accounts and regions, stored under one prefix.
    a = await startWorld(2, 20, A);
    b = await startWorld(2, 20, { ...B, sharing: a });
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.service.stop()));
    await b.close();
    await a.close();
  });

  it('a replica of one account and region leaves the records of another alone', async () => {
    const both = await startService(a, { RECONCILE_TARGETS: targetsOf(a, b) });
    services.push(both);
    await eventually('the startup reconcile of both', async () => (await a.stored()).size === a.expected().size + b.expected().size, { timeoutMs: 60_000 });
    await both.service.stop();
    services.splice(0);
    const before = await a.stored();

    // Today's single-target configuration, no new variable: AWS_REGION and the ECS endpoint of A.
    const onlyA = await startService(a);
    services.push(onlyA);
    const view = await finished(onlyA, (await onlyA.service.worker.client.enqueue()).id);

    expect(view.report?.clusters.map((c) => [c.target, c.outcome])).toEqual([
      [TARGET_A, 'reconciled'],
      [TARGET_A, 'reconciled'],
    ]);
    expect(await a.stored()).toEqual(before);
    expect(onlyA.service.targets).toEqual([TARGET_A]);
  });

  it('one replica repairs the drift of both targets; every report, job and metric names its target', async () => {
    const service = await startService(a, { RECONCILE_TARGETS: targetsOf(a, b) });
    services.push(service);
    await eventually('the startup reconcile of both', async () => (await a.stored()).size === a.expected().size + b.expected().size, { timeoutMs: 60_000 });
    // Drift in both: records lost from the store, tasks started whose events never came.
    for (const world of [a, b]) {
      const [lost] = [...(await world.stored()).keys()].filter((k) => k.includes(`/${world === a ? A.accountId : B.accountId}/c0/`));
      await world.etcd.delete().key(lost as string);
      world.sim.ecs?.populateRunningTasks({ cluster: 'c1', taskDefinition: 'web', count: 3 });
    }

    const view = await finished(service, (await service.service.worker.client.enqueue()).id);

    expect(await a.stored()).toEqual(new Map([...a.expected(), ...b.expected()]));
    expect(view.report?.clusters.map((c) => [c.cluster, c.target])).toEqual([
      [`arn:aws:ecs:eu-west-1:${B.accountId}:cluster/c0`, TARGET_B],
      [`arn:aws:ecs:eu-west-1:${B.accountId}:cluster/c1`, TARGET_B],
      [`arn:aws:ecs:us-east-1:${A.accountId}:cluster/c0`, TARGET_A],
      [`arn:aws:ecs:us-east-1:${A.accountId}:cluster/c1`, TARGET_A],
    ]);
    for (const target of [TARGET_A, TARGET_B]) {
      expect(view.report?.targets?.find((t) => t.target === target)).toMatchObject({ clusters: 2, failedClusters: 0, tasks: { added: 4 } });
      expect(await metric(service, RECONCILE_METRICS.records, { target, kind: 'task', change: 'added' })).toBeGreaterThanOrEqual(4);
      expect(await metric(service, RECONCILE_METRICS.lastRunFailedClusters, { target })).toBe(0);
    }

    // An ARN reaches its own target only; a name every target that has such a cluster.
    const byArn = await finished(service, (await service.service.worker.client.enqueue([`arn:aws:ecs:eu-west-1:${B.accountId}:cluster/c1`])).id);
    expect(byArn.report?.clusters.map((c) => c.target)).toEqual([TARGET_B]);
    const byName = await finished(service, (await service.service.worker.client.enqueue(['c0'])).id);
    expect(byName.report?.clusters.map((c) => c.target)).toEqual([TARGET_B, TARGET_A]);
  });

  it("reads each target with its own credentials: B's role assumed through STS, A's named profile", async () => {
    const home = mkdtempSync(join(tmpdir(), 'reconciler-profiles-'));
    const roleB = `arn:aws:iam::${B.accountId}:role/ecs-state-reader`;
    writeFileSync(join(home, 'credentials'), '[audit]\naws_access_key_id = AKIAAUDITPROFILE\naws_secret_access_key = audit-secret\n');
    const reconciler = new ServiceProcess({
      main: 'apps/reconciler/src/main.ts',
      readyMessage: 'reconciler started',
      env: {
        REDIS_URL: testEnv('TEST_REDIS_URL'),
        RECONCILE_QUEUE_PREFIX: a.queuePrefix,
        RECONCILE_INTERVAL: 'off',
        ETCD_ENDPOINTS: testEnv('TEST_ETCD_ENDPOINTS'),
        ETCD_PREFIX: a.prefix,
        METRICS_PORT: '0',
        RECONCILE_TARGETS: JSON.stringify([
          { account: A.accountId, region: A.region, profile: 'audit', endpoint: a.sim.endpoint },
          { account: B.accountId, region: B.region, roleArn: roleB, externalId: 'ecs-state', endpoint: b.sim.endpoint },
        ]),
        // The service's own credentials: they sign the AssumeRole, and nothing else.
        AWS_ACCESS_KEY_ID: 'AKIASERVICEOWN',
        AWS_SECRET_ACCESS_KEY: 'own-secret',
        AWS_ENDPOINT_URL_STS: b.sim.endpoint,
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_CONFIG_FILE: join(home, 'config'),
      },
    });
    try {
      await reconciler.start();
      await eventually('the startup reconcile', async () => reconciler.logs.some((l) => l.message === 'reconcile run finished'), { timeoutMs: 60_000 });
      expect(await a.stored()).toEqual(new Map([...a.expected(), ...b.expected()]));

      const [session] = b.sim.sts.assumedRoles();
      expect(b.sim.sts.assumedRoles().map((s) => [s.roleArn, s.externalId, s.callerAccessKeyId])).toEqual([[roleB, 'ecs-state', 'AKIASERVICEOWN']]);
      // Besides the test's own set-up calls (key "test"), each ECS saw its target's credentials only.
      const signers = (world: World) => [...world.sim.server.callsByAccessKey('ecs').keys()].filter((key) => key !== CREDENTIALS.accessKeyId);
      expect(signers(b)).toEqual([session?.accessKeyId]);
      expect(signers(a)).toEqual(['AKIAAUDITPROFILE']);
      reconciler.signal('SIGTERM');
      expect(await reconciler.exited()).toBe(0);
    } finally {
      await reconciler.kill();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('refuses to start on a bad target list, naming the entry (exit 2)', async () => {
    const process = new ServiceProcess({
      main: 'apps/reconciler/src/main.ts',
      readyMessage: 'reconciler started',
      env: {
        REDIS_URL: testEnv('TEST_REDIS_URL'),
        ETCD_ENDPOINTS: testEnv('TEST_ETCD_ENDPOINTS'),
        RECONCILE_TARGETS: `${A.accountId}:us-east-1,${B.accountId}:eu-west-1:arn:aws:iam::${B.accountId}:user/x`,
      },
    });
    await expect(process.start()).rejects.toThrow(/exited with 2/);
    expect(process.stderr).toContain('entry 2 (');
    expect(process.stderr).toContain('roleArn must be an IAM role ARN');
  });
});
