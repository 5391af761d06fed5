import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { ETCD_STATUS_METRICS } from '@ecs-state/etcd-store';
import { INGEST_METRICS, KINESIS_METRICS } from '@ecs-state/ingestion';
import { RECONCILE_METRICS } from '@ecs-state/reconciliation';
import { API_METRICS, VIEW_METRICS } from '@ecs-state/rest-api';
import { IngestorProcess, ServiceProcess } from '@ecs-state/test-services';
import { randomUUID } from 'node:crypto';
import { parse } from 'yaml';
import { exposedSeries, parsePromQL } from './support/promql';
import { readRepoFile } from './support/repo';

const DASHBOARD = 'deploy/observability/grafana-dashboard.json';
const RULES = 'deploy/observability/prometheus-rules.yaml';

function testEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through the deploy jest config`);
  return value;
}

interface Dashboard {
  panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
}
interface Rules {
  groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for?: string; labels: { severity: string }; annotations: { summary: string; runbook_url: string } }> }>;
}

const dashboard = JSON.parse(readRepoFile(DASHBOARD)) as Dashboard;
const rules = (parse(readRepoFile(RULES)) as Rules).groups.flatMap((group) => group.rules);
const queries = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));

describe('PromQL checks', () => {
  it('find syntax errors and the metrics a query selects', () => {
    expect(parsePromQL('sum by (le) (rate(a_bucket{x="1"}[$__rate_interval])) / ignoring(y) b or absent(c)')).toEqual({ errors: [], metrics: ['a_bucket', 'b', 'c'] });
    expect(parsePromQL('sum(rate(a[5m])').errors).not.toEqual([]);
    expect(parsePromQL('a >> b').errors).not.toEqual([]);
  });
});

describe('the Grafana dashboard and the Prometheus rules', () => {
  it('parse as PromQL', () => {
    expect(queries.length).toBeGreaterThan(20);
    for (const { panel, expr } of queries) expect({ panel, errors: parsePromQL(expr).errors }).toEqual({ panel, errors: [] });
    for (const rule of rules) expect({ alert: rule.alert, errors: parsePromQL(rule.expr).errors }).toEqual({ alert: rule.alert, errors: [] });
  });

  it('cover what an operator watches', () => {
    const queried = new Set(queries.flatMap(({ expr }) => parsePromQL(expr).metrics));
    for (const metric of [
      INGEST_METRICS.received,
      INGEST_METRICS.applied,
      INGEST_METRICS.stale,
      INGEST_METRICS.rejected,
      `${INGEST_METRICS.eventLag}_bucket`,
      `${INGEST_METRICS.etcdLatency}_bucket`,
      INGEST_METRICS.etcdConflicts,
      VIEW_METRICS.revision,
      VIEW_METRICS.staleness,
      API_METRICS.streamClients,
      API_METRICS.requests,
      `${API_METRICS.duration}_bucket`,
      RECONCILE_METRICS.runs,
      RECONCILE_METRICS.records,
      ETCD_STATUS_METRICS.dbSizeBytes,
      ETCD_STATUS_METRICS.dbSizeInUseBytes,
      ETCD_STATUS_METRICS.quotaBytes,
      ETCD_STATUS_METRICS.alarm,
      ETCD_STATUS_METRICS.statusAgeSeconds,
      ETCD_STATUS_METRICS.lastWriteAgeSeconds,
      VIEW_METRICS.lastEventAge,
      KINESIS_METRICS.millisBehindLatest,
      KINESIS_METRICS.leasesHeld,
      KINESIS_METRICS.recordsRead,
      KINESIS_METRICS.checkpoints,
      KINESIS_METRICS.errors,
    ]) {
      expect(queried).toContain(metric);
    }
  });

  it("alert on etcd's alarms, its database near the quota and its status unread, as any service sees them", () => {
    const byRunbook = (anchor: string) => rules.filter((rule) => rule.annotations.runbook_url === `deploy/README.md#${anchor}`);
    const metricsOf = (anchor: string) => new Set(byRunbook(anchor).flatMap((rule) => parsePromQL(rule.expr).metrics));
    // One name whichever service exports it: a rule without a service selector covers all three.
    expect(metricsOf('etcd-alarm-raised')).toContain(ETCD_STATUS_METRICS.alarm);
    expect([...metricsOf('etcd-database-near-its-quota')]).toEqual(expect.arrayContaining([ETCD_STATUS_METRICS.dbSizeBytes, ETCD_STATUS_METRICS.quotaBytes]));
    expect(metricsOf('etcd-status-not-read')).toContain(ETCD_STATUS_METRICS.statusAgeSeconds);
    for (const rule of [...byRunbook('etcd-alarm-raised'), ...byRunbook('etcd-database-near-its-quota'), ...byRunbook('etcd-status-not-read')]) expect(rule.expr).not.toMatch(/service=/);
    expect(byRunbook('etcd-alarm-raised').map((rule) => rule.labels.severity)).toEqual(['critical']);
    expect(byRunbook('etcd-database-near-its-quota').map((rule) => [rule.labels.severity, rule.for, /> 0\.8$/.test(rule.expr)])).toEqual([['warning', '15m', true]]);
    // Five of the services' default ETCD_STATUS_INTERVAL_MS (10 s).
    expect(byRunbook('etcd-status-not-read').map((rule) => [rule.labels.severity, /> 50$/.test(rule.expr)])).toEqual([['warning', true]]);
  });

  it('have one rule per CloudWatch alarm, each with its runbook', () => {
    const template = readRepoFile('deploy/cloudformation/ecs-cluster-state.yaml');
    const readme = readRepoFile('deploy/README.md');
    const runbooks = new Set([...template.matchAll(/Runbook deploy\/README\.md#([a-z-]+)/g)].map((m) => m[1]));
    expect(new Set(rules.map((rule) => rule.annotations.runbook_url.replace('deploy/README.md#', '')))).toEqual(runbooks);
    // GitHub's anchors of the guide's headings.
    const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map((m) => (m[1] ?? '').toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const anchor of runbooks) expect(anchors).toContain(anchor);
    for (const rule of rules) expect(['warning', 'critical']).toContain(rule.labels.severity);
  });

  describe('against the metrics the running services export', () => {
    let sim: Simulator;
    const processes: ServiceProcess[] = [];
    const exported = new Set<string>();

    beforeAll(async () => {
      sim = await startSimulator({ port: 0, region: 'us-east-1', queues: ['ecs-events'], eventQueue: 'ecs-events', streams: [{ name: 'ecs-events', shardCount: 1 }] });
      const etcd = { ETCD_ENDPOINTS: testEnv('TEST_ETCD_ENDPOINTS'), ETCD_PREFIX: `/observability-${randomUUID().slice(0, 8)}` };
      const aws = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: sim.endpoint };
      const ingestor = new IngestorProcess({ simulatorEndpoint: sim.endpoint, etcdEndpoints: etcd.ETCD_ENDPOINTS, etcdPrefix: etcd.ETCD_PREFIX, queueName: 'ecs-events' });
      // The Kinesis source's metrics exist only in that mode: a second ingestor reads a stream.
      const kinesisIngestor = new IngestorProcess({
        simulatorEndpoint: sim.endpoint,
        etcdEndpoints: etcd.ETCD_ENDPOINTS,
        etcdPrefix: etcd.ETCD_PREFIX,
        queueName: '',
        env: { EVENT_SOURCE: 'kinesis', KINESIS_STREAM_NAME: 'ecs-events' },
      });
      const reconciler = new ServiceProcess({
        main: 'apps/reconciler/src/main.ts',
        readyMessage: 'reconciler started',
        env: { ...aws, ...etcd, REDIS_URL: testEnv('TEST_REDIS_URL'), RECONCILE_QUEUE_PREFIX: `obs-${randomUUID().slice(0, 8)}`, RECONCILE_INTERVAL: 'off', METRICS_PORT: '0', LOG_LEVEL: 'info' },
      });
      const api = new ServiceProcess({
        main: 'apps/api/src/main.ts',
        readyMessage: 'api listening',
        env: { ...etcd, PORT: '0', METRICS_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      });
      processes.push(ingestor, kinesisIngestor, reconciler, api);
      const [ingestorReady, kinesisReady, reconcilerReady, apiReady] = await Promise.all([ingestor.start(), kinesisIngestor.start(), reconciler.start(), api.start()]);
      for (const port of [ingestorReady['opsPort'], kinesisReady['opsPort'], reconcilerReady['opsPort'], apiReady['metricsPort']]) {
        const response = await fetch(`http://127.0.0.1:${String(port)}/metrics`);
        expect(response.status).toBe(200);
        for (const name of exposedSeries(await response.text())) exported.add(name);
      }
    }, 60_000);

    afterAll(async () => {
      await Promise.all(processes.map((p) => p.kill()));
      await sim?.close();
    });

    it('query only metrics that the services export', () => {
      // Sanity: each service was scraped.
      for (const prefix of ['ecs_state_ingestor_', 'ecs_state_ingestor_kinesis_', 'ecs_state_api_', 'ecs_state_view_', 'ecs_state_reconcile_', 'ecs_state_etcd_']) {
        expect([...exported].some((name) => name.startsWith(prefix))).toBe(true);
      }
    });

    it("export the services' own metrics under the one prefix ecs_state_, beside Node's default ones", () => {
      expect([...exported].filter((name) => !/^(process|nodejs)_/.test(name) && !name.startsWith('ecs_state_'))).toEqual([]);
      const unknown = queries.flatMap(({ panel, expr }) => parsePromQL(expr).metrics.filter((m) => !exported.has(m)).map((m) => `${panel}: ${m}`));
      expect(unknown).toEqual([]);
    });

    it('alert only on metrics that the services export', () => {
      const unknown = rules.flatMap((rule) => parsePromQL(rule.expr).metrics.filter((m) => !exported.has(m)).map((m) => `${rule.alert}: ${m}`));
      expect(unknown).toEqual([]);
    });
  });
});
