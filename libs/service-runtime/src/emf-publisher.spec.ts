import { eventually } from '@ecs-state/test-support';
import { Counter, Gauge } from 'prom-client';
import { loadCloudWatchMetricsConfig } from './cloudwatch-metrics-config';
import { startEmfPublisher } from './emf-publisher';
import { createMetricsRegistry } from './metrics';
import { counterIncrease, gaugeMax } from './registry-readings';

interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [field: string]: unknown;
}

/**
 * What CloudWatch Logs extracts from a line, per the embedded metric format: for each
 * directive, each metric's value read from the member of its name, with the dimensions'
 * values read from theirs.
 */
function extract(line: string): Array<{ namespace: string; name: string; unit: string; value: unknown; dimensions: Record<string, unknown> }> {
  const document = JSON.parse(line) as EmfLine;
  expect(Number.isInteger(document._aws.Timestamp)).toBe(true);
  return document._aws.CloudWatchMetrics.flatMap((directive) =>
    directive.Dimensions.flatMap((set) =>
      directive.Metrics.map((metric) => ({
        namespace: directive.Namespace,
        name: metric.Name,
        unit: metric.Unit,
        value: document[metric.Name],
        dimensions: Object.fromEntries(set.map((key) => [key, document[key]])),
      })),
    ),
  );
}

describe('embedded metric format publisher', () => {
  const registry = createMetricsRegistry('test');
  const errors = new Counter({ name: 'things_errors_total', help: 'errors', labelNames: ['operation'], registers: [registry] });
  const other = new Counter({ name: 'other_errors_total', help: 'errors', registers: [registry] });
  let lag = 2.5 as number | undefined;
  const lines: string[] = [];
  const publisher = startEmfPublisher({
    namespace: 'ECSClusterState/prod',
    service: 'ingestor',
    intervalMs: 3_600_000,
    now: () => 1_700_000_000_000,
    write: (line) => lines.push(line),
    metrics: [
      { name: 'Errors', unit: 'Count', read: counterIncrease(registry, ['things_errors_total', 'other_errors_total']) },
      { name: 'ReceiveErrors', unit: 'Count', read: counterIncrease(registry, ['things_errors_total'], { operation: 'receive' }) },
      { name: 'Lag', unit: 'Seconds', read: async () => lag },
    ],
  });
  afterAll(() => publisher.stop());

  it('publishes counters as their increase since the previous line, with the Service dimension', async () => {
    errors.inc({ operation: 'receive' }, 2);
    errors.inc({ operation: 'delete' });
    other.inc();
    await publisher.publish();
    expect(extract(lines.at(-1) ?? '')).toEqual([
      { namespace: 'ECSClusterState/prod', name: 'Errors', unit: 'Count', value: 4, dimensions: { Service: 'ingestor' } },
      { namespace: 'ECSClusterState/prod', name: 'ReceiveErrors', unit: 'Count', value: 2, dimensions: { Service: 'ingestor' } },
      { namespace: 'ECSClusterState/prod', name: 'Lag', unit: 'Seconds', value: 2.5, dimensions: { Service: 'ingestor' } },
    ]);
    errors.inc({ operation: 'receive' });
    await publisher.publish();
    expect(extract(lines.at(-1) ?? '').map((m) => [m.name, m.value])).toEqual([['Errors', 1], ['ReceiveErrors', 1], ['Lag', 2.5]]);
    await publisher.publish();
    expect(extract(lines.at(-1) ?? '').map((m) => [m.name, m.value])).toEqual([['Errors', 0], ['ReceiveErrors', 0], ['Lag', 2.5]]);
  });

  it('leaves out a reading with no value rather than publishing a false one', async () => {
    lag = undefined;
    await publisher.publish();
    expect(extract(lines.at(-1) ?? '').map((m) => m.name)).toEqual(['Errors', 'ReceiveErrors']);
    lag = Number.POSITIVE_INFINITY;
    await publisher.publish();
    expect(extract(lines.at(-1) ?? '').map((m) => m.name)).toEqual(['Errors', 'ReceiveErrors']);
  });

  it('reads like every other log line of the service', async () => {
    const line = JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ service: 'ingestor', level: 'info', message: 'cloudwatch metrics', timestamp: '2023-11-14T22:13:20.000Z' });
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('publishes on its interval, and once more when stopped so the last counts are not lost', async () => {
    const written: string[] = [];
    const ticks = new Counter({ name: 'ticks_total', help: 'ticks', registers: [registry] });
    const timed = startEmfPublisher({
      namespace: 'ns',
      service: 'api',
      intervalMs: 1_000,
      write: (line) => written.push(line),
      metrics: [{ name: 'Ticks', unit: 'Count', read: counterIncrease(registry, ['ticks_total']) }],
    });
    ticks.inc(3);
    await eventually('the first interval', () => written.length > 0, { timeoutMs: 15_000 });
    ticks.inc(2);
    const beforeStop = written.length;
    await timed.stop();
    const values = written.map((l) => extract(l)[0]?.value as number);
    expect(values[0]).toBe(3);
    expect(written.length).toBeGreaterThan(beforeStop);
    // On a slow machine more intervals may have passed (each with what it saw added): nothing
    // counted is lost or counted twice.
    expect(values.reduce((sum, v) => sum + v, 0)).toBe(5);
  });

  it('refuses a counter the registry does not have, through onError', async () => {
    const failures: unknown[] = [];
    const broken = startEmfPublisher({
      namespace: 'ns',
      service: 'api',
      intervalMs: 3_600_000,
      write: () => undefined,
      onError: (error) => failures.push(error),
      metrics: [{ name: 'Missing', unit: 'Count', read: counterIncrease(registry, ['no_such_total']) }],
    });
    await broken.stop();
    expect(String(failures[0])).toContain('no metric no_such_total');
  });

  it('reads a value that drops as no increase, never a negative count', async () => {
    const gauge = new Gauge({ name: 'depth', help: 'depth', registers: [registry] });
    gauge.set(7);
    const read = counterIncrease(registry, ['depth']);
    expect(await read()).toBe(7);
    gauge.set(5);
    // A counter never shrinks; a drop reads as no increase rather than a negative count.
    expect(await read()).toBe(0);
  });

  it('reads a gauge as the largest of its samples with the labels asked for, nothing when it has none', async () => {
    const alarm = new Gauge({ name: 'thing_alarm', help: 'alarms', labelNames: ['alarm', 'member'], registers: [registry] });
    const anyAlarm = gaugeMax(registry, 'thing_alarm');
    const corrupt = gaugeMax(registry, 'thing_alarm', { alarm: 'CORRUPT' });
    expect(await anyAlarm()).toBeUndefined();
    alarm.set({ alarm: 'NOSPACE', member: 'a' }, 0);
    alarm.set({ alarm: 'CORRUPT', member: 'a' }, 0);
    expect(await anyAlarm()).toBe(0);
    alarm.set({ alarm: 'NOSPACE', member: 'b' }, 1);
    expect([await anyAlarm(), await corrupt()]).toEqual([1, 0]);
    await expect(gaugeMax(registry, 'no_such_gauge')()).rejects.toThrow('no metric no_such_gauge');
  });
});

describe('CloudWatch metrics settings', () => {
  it('are off by default and publish every minute once a namespace is given', () => {
    expect(loadCloudWatchMetricsConfig({})).toEqual({ intervalMs: 60_000 });
    expect(loadCloudWatchMetricsConfig({ CLOUDWATCH_METRICS_NAMESPACE: 'ECSClusterState/prod-1' })).toEqual({ namespace: 'ECSClusterState/prod-1', intervalMs: 60_000 });
  });

  it('refuse a namespace CloudWatch would refuse', () => {
    expect(() => loadCloudWatchMetricsConfig({ CLOUDWATCH_METRICS_NAMESPACE: 'AWS/ECS' })).toThrow(/CLOUDWATCH_METRICS_NAMESPACE/);
    expect(() => loadCloudWatchMetricsConfig({ CLOUDWATCH_METRICS_NAMESPACE: 'a'.repeat(256) })).toThrow(/CLOUDWATCH_METRICS_NAMESPACE/);
    expect(() => loadCloudWatchMetricsConfig({ CLOUDWATCH_METRICS_INTERVAL_MS: '10' })).toThrow(/CLOUDWATCH_METRICS_INTERVAL_MS/);
  });
});
