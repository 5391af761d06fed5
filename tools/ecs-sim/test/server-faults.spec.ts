import type { ECSServiceException } from '@aws-sdk/client-ecs';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { CreateQueueCommand, GetQueueUrlCommand, ListQueuesCommand, SQSClient, SQSServiceException } from '@aws-sdk/client-sqs';
import type { SimulatedService, Simulator } from '../src';
import { startSimulator } from '../src';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

const ecsStub: SimulatedService = {
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  contentType: 'application/x-amz-json-1.1',
  async handle() {
    return { clusterArns: [] };
  },
};

let sim: Simulator;
let sqs: SQSClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, eventQueue: null, ecs: false, faults: { seed: 7 } });
  sim.server.register('ecs', ecsStub);
  sqs = new SQSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials });
  await sqs.send(new CreateQueueCommand({ QueueName: 'faulty' }));
});

afterEach(() => {
  sim.faults.replace({});
});

afterAll(async () => {
  sqs.destroy();
  await sim.close();
});

async function elapsed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe('call-level faults', () => {
  it('adds latency to every call of the targeted service only', async () => {
    const ecs = new ECSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials });
    sim.faults.update({ sqs: { latencyMs: 3000 } });
    // The ECS call goes out while the SQS call waits out its latency, and must be answered first:
    // an order, not a duration, so that a busy machine cannot blur it.
    let sqsAnswered = false;
    const slowing = elapsed(() => sqs.send(new GetQueueUrlCommand({ QueueName: 'faulty' }))).finally(() => (sqsAnswered = true));
    await ecs.send(new ListClustersCommand({}));
    const ecsAnsweredFirst = !sqsAnswered;
    const slowed = await slowing;
    ecs.destroy();
    expect(slowed).toBeGreaterThanOrEqual(2995);
    expect(ecsAnsweredFirst).toBe(true);
  });

  it('fails calls with 5xx, which the SDK retries and surfaces once attempts are exhausted', async () => {
    sim.faults.update({ errorRate: 1 });
    const error = await sqs.send(new ListQueuesCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SQSServiceException);
    const failure = error as SQSServiceException;
    expect(['InternalFailure', 'ServiceUnavailable']).toContain(failure.name);
    expect(failure.$fault).toBe('server');
    expect([500, 503]).toContain(failure.$metadata.httpStatusCode);
    expect(failure.$metadata.attempts).toBe(3);
  });

  it('lets the SDK retry through a partial failure rate', async () => {
    sim.faults.update({ seed: 11, sqs: { errorRate: 0.5 } });
    const attempts: number[] = [];
    for (let i = 0; i < 12; i++) {
      const result = await sqs.send(new ListQueuesCommand({})).catch((e: SQSServiceException) => e);
      attempts.push(result.$metadata.attempts ?? 0);
    }
    // With p = 0.5 some calls need a retry and most succeed within three attempts.
    expect(attempts.some((a) => a > 1)).toBe(true);
    expect(attempts.filter((a) => a === 1).length).toBeGreaterThan(0);
  });

  it('throttles calls above the configured rate with ThrottlingException (400)', async () => {
    sim.faults.update({ ecs: { throttleRps: 0.5, throttleBurst: 3 } });
    const ecs = new ECSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(
        await ecs.send(new ListClustersCommand({})).then(
          () => 'ok',
          (e: ECSServiceException) => `${e.name}/${e.$metadata.httpStatusCode}`,
        ),
      );
    }
    ecs.destroy();
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ThrottlingException/400', 'ThrottlingException/400']);
    // SQS is not throttled by the ECS setting.
    await expect(sqs.send(new ListQueuesCommand({}))).resolves.toBeDefined();
  });

  it('is deterministic for a seed', async () => {
    const run = async (): Promise<boolean[]> => {
      sim.faults.replace({ seed: 99, sqs: { errorRate: 0.4 } });
      const client = new SQSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 20; i++) {
        outcomes.push(await client.send(new ListQueuesCommand({})).then(() => true, () => false));
      }
      client.destroy();
      return outcomes;
    };
    const first = await run();
    sim.faults.replace({ seed: 1 });
    const second = await run();
    expect(second).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });
});

describe('admin API', () => {
  const admin = (path: string, init?: RequestInit): Promise<Response> => fetch(`${sim.endpoint}/_sim${path}`, init);

  it('reads and changes faults at runtime', async () => {
    const initial = (await (await admin('/faults')).json()) as { seed: number; sqs: { latencyMs: number } };
    expect(initial.sqs.latencyMs).toBe(0);

    const patched = await admin('/faults', {
      method: 'PATCH',
      body: JSON.stringify({ latencyMs: 5, events: { dropRate: 0.25 } }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ sqs: { latencyMs: 5 }, ecs: { latencyMs: 5 }, events: { dropRate: 0.25 } });
    expect(sim.faults.settings.events.dropRate).toBe(0.25);

    const replaced = await admin('/faults', { method: 'PUT', body: JSON.stringify({ ecs: { errorRate: 0.1 } }) });
    expect(await replaced.json()).toMatchObject({ sqs: { latencyMs: 0, errorRate: 0 }, ecs: { errorRate: 0.1 }, events: { dropRate: 0 } });
  });

  it('rejects invalid fault settings with 400 and leaves the settings unchanged', async () => {
    const response = await admin('/faults', { method: 'PATCH', body: JSON.stringify({ errorRate: 2 }) });
    expect(response.status).toBe(400);
    expect(sim.faults.settings.sqs.errorRate).toBe(0);
    expect((await admin('/faults', { method: 'PATCH', body: '{oops' })).status).toBe(400);
  });

  it('serves ground truth from a registered provider, 404 without one', async () => {
    expect((await admin('/state')).status).toBe(404);
    sim.server.setGroundTruthProvider({ groundTruth: () => ({ clusters: ['default'] }) });
    const response = await admin('/state');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ clusters: ['default'] });
    sim.server.setGroundTruthProvider(null);
  });

  it('lists queues with their counts, answers health, 404 for unknown routes', async () => {
    const queues = (await (await admin('/queues')).json()) as { name: string; stats: unknown }[];
    expect(queues).toEqual([
      expect.objectContaining({ name: 'faulty', stats: { visible: 0, inFlight: 0, delayed: 0 } }),
    ]);
    expect(await (await admin('/health')).json()).toMatchObject({ status: 'ok' });
    expect((await admin('/nothing')).status).toBe(404);
    expect((await admin('/faults', { method: 'DELETE' })).status).toBe(405);
  });
});
