import { INGEST_METRICS, KINESIS_METRICS } from '@ecs-state/ingestion';
import { freePort } from '@ecs-state/local-services';
import { eventually } from '@ecs-state/test-support';
import { bannerAccess, startStack, watching, type RunningStack } from './stack-process';

let stack: RunningStack | undefined;
afterEach(async () => {
  if (stack && stack.proc.exitCode === null) {
    stack.proc.kill('SIGINT');
    await stack.exit;
  }
  stack = undefined;
});

/** Sums every sample of a series in Prometheus text. */
function total(text: string, name: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('EVENT_SOURCE=kinesis npm start', () => {
  it('runs the stack with the simulated ECS events in a Kinesis stream, which the ingestor reads', async () => {
    const ingestorPort = await freePort();
    const s = (stack = startStack({ via: 'node', env: { EVENT_SOURCE: 'kinesis', INGESTOR_METRICS_PORT: String(ingestorPort), DEMO_EVENT_LOSS: '0' } }));
    const { api, token } = await eventually('the banner', () => bannerAccess(s.output()), { timeoutMs: 70_000, ...watching(s) });
    // Both shards of the stream are read, records arrive, and their checkpoints follow.
    const metrics = await eventually(
      'the ingestor reading both shards and checkpointing',
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${ingestorPort}/metrics`)).text();
        return total(text, KINESIS_METRICS.leasesHeld) === 2 && total(text, KINESIS_METRICS.checkpoints) > 0 ? text : undefined;
      },
      { timeoutMs: 45_000, ...watching(s) },
    );
    expect(total(metrics, KINESIS_METRICS.recordsRead)).toBeGreaterThan(0);
    expect(total(metrics, INGEST_METRICS.applied)).toBeGreaterThan(0);
    expect(s.output()).toMatch(/\[ingestor\].*ingesting.*streamArn=arn:aws:kinesis:us-east-1:000000000000:stream\/ecs-events/);
    // The api's view follows etcd by its watch: the records applied above reach it a moment later.
    await eventually('tasks in the API', async () => {
      const res = await fetch(`${api}/v1/tasks`, { headers: { authorization: `Bearer ${token}` } });
      return ((await res.json()) as { items: unknown[] }).items.length > 0;
    }, { timeoutMs: 45_000, ...watching(s) });
  }, 180_000);
});
