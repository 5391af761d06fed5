import { INGEST_METRICS } from '@ecs-state/ingestion';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { startEtcd, testEtcdEndpoints, type EtcdServer } from '@ecs-state/local-services';
import { expectStoreToMatchTruth } from '@ecs-state/test-services';
import { CONTAINER_INSTANCE_SAMPLE, FARGATE_TASK_SAMPLE, loadReferenceEvent, eventually } from '@ecs-state/test-support';
import { DLQ, E2eWorld, MAX_RECEIVE_COUNT, QUEUE } from './support/e2e-world';

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A churning workload: 3 clusters (old and new ARN formats), EC2 and Fargate tasks. */
const workload = { clusters: 3, instancesPerCluster: 2, tasksPerCluster: 20, publishPopulation: true, ratePerSecond: 80, start: false };

async function queueDepth(world: E2eWorld, name: string): Promise<number> {
  const { QueueUrl } = await world.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  const { Attributes } = await world.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
}

async function churn(world: E2eWorld, ms: number): Promise<void> {
  world.sim.workload!.start();
  await sleep(ms);
  world.sim.workload!.stop();
  await world.eventsDelivered();
}

describe('ingestor end to end under faults', () => {
  let world: E2eWorld;
  afterEach(() => world.close());

  it('ends equal to ECS with duplicated, reordered and delayed events', async () => {
    world = new E2eWorld(testEtcdEndpoints());
    await world.start({ workload: { ...workload, seed: 7 }, faults: { seed: 7, events: { duplicateRate: 0.3, maxDelayMs: 400 } } });
    const ingestor = await world.startIngestor();
    await churn(world, 1500);
    await expectStoreToMatchTruth(world.sim, world.store, 60_000);
    await eventually('every message to be deleted', async () => (await queueDepth(world, QUEUE)) === 0, { timeoutMs: 45_000, intervalMs: 100 });
    expect(await ingestor.metric(INGEST_METRICS.stale)).toBeGreaterThan(0);
  });

  it('applies good events around poison messages, which go to the dead-letter queue, each logged once', async () => {
    world = new E2eWorld(testEtcdEndpoints());
    await world.start({ ecs: false as never });
    const ingestor = await world.startIngestor({ INGEST_REJECTED_VISIBILITY_TIMEOUT: '1' });
    const task = loadReferenceEvent(FARGATE_TASK_SAMPLE).body;
    const instance = loadReferenceEvent(CONTAINER_INSTANCE_SAMPLE).body;
    const missingVersion = JSON.parse(task) as { detail: Record<string, unknown> };
    delete missingVersion.detail.version;
    const badArn = JSON.parse(instance) as { detail: Record<string, unknown> };
    badArn.detail.containerInstanceArn = 'arn:aws:ecs:us-east-1:111122223333:container-instance/../../x';
    // Neither poison nor stored: an `aws.ecs` rule also matches the ECS calls CloudTrail records.
    const apiCall = {
      ...(JSON.parse(task) as object),
      'detail-type': 'AWS API Call via CloudTrail',
      resources: [],
      detail: { eventSource: 'ecs.amazonaws.com', eventName: 'UpdateService', requestParameters: { cluster: 'FargateCluster', service: 'web' } },
    };
    const { QueueUrl } = await world.sqs.send(new GetQueueUrlCommand({ QueueName: QUEUE }));
    await world.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'good-task', MessageBody: task },
          { Id: 'malformed', MessageBody: '{"detail-type": "ECS Task State Change", ' },
          { Id: 'no-version', MessageBody: JSON.stringify(missingVersion) },
          { Id: 'good-instance', MessageBody: instance },
          { Id: 'bad-arn', MessageBody: JSON.stringify(badArn) },
          { Id: 'api-call', MessageBody: JSON.stringify(apiCall) },
        ],
      }),
    );

    await eventually('the three poison messages to reach the dead-letter queue', async () => (await queueDepth(world, DLQ)) === 3, { timeoutMs: 60_000, intervalMs: 100 });
    expect(await queueDepth(world, QUEUE)).toBe(0);

    const storedTask = await world.store.getTask({
      taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad',
      clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster',
    });
    expect(storedTask.item?.record.record.version).toBe(4);
    const storedInstance = await world.store.getInstance({
      containerInstanceArn: 'arn:aws:ecs:us-east-1:111122223333:container-instance/b54a2a04-046f-4331-9d74-3f6d7f6ca315',
      clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/default',
    });
    expect(storedInstance.item?.record.record.version).toBe(14801);

    expect(await ingestor.metric(INGEST_METRICS.rejected, 'reason="malformed_json"')).toBe(1);
    expect(await ingestor.metric(INGEST_METRICS.rejected, 'reason="missing_version"')).toBe(1);
    expect(await ingestor.metric(INGEST_METRICS.rejected, 'reason="invalid_arn"')).toBe(1);
    expect(await ingestor.metric(INGEST_METRICS.ignored, 'detail_type="AWS API Call via CloudTrail"')).toBe(1);
    expect(await ingestor.metric(INGEST_METRICS.rejectedRedeliveries)).toBe((MAX_RECEIVE_COUNT - 1) * 3);
    const warnings = ingestor.logs.filter((l) => l.message === 'rejected message');
    expect(warnings.map((w) => w.reason).sort()).toEqual(['invalid_arn', 'malformed_json', 'missing_version']);

    const dlqUrl = (await world.sqs.send(new GetQueueUrlCommand({ QueueName: DLQ }))).QueueUrl;
    const dead = await world.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }));
    expect((dead.Messages ?? []).map((m) => m.Body).sort()).toEqual(
      ['{"detail-type": "ECS Task State Change", ', JSON.stringify(missingVersion), JSON.stringify(badArn)].sort(),
    );
  });

  it('survives etcd going away mid-stream and catches up by itself, losing nothing', async () => {
    let etcd: EtcdServer | undefined;
    try {
      etcd = await startEtcd();
      world = new E2eWorld(etcd.endpoint);
      await world.start({ workload: { ...workload, seed: 11 } });
      const ingestor = await world.startIngestor({ ETCD_REQUEST_TIMEOUT_MS: '1000' }, etcd.endpoint);
      world.sim.workload!.start();
      await sleep(500);
      await etcd.kill();
      await sleep(2500);
      // However slow the machine, etcd comes back only after a write has failed on it.
      await eventually('a write to fail while etcd is down', async () => (await ingestor.metric(INGEST_METRICS.etcdErrors)) > 0, { timeoutMs: 30_000, intervalMs: 100 });
      await etcd.start();
      await sleep(500);
      world.sim.workload!.stop();
      await world.eventsDelivered();
      await expectStoreToMatchTruth(world.sim, world.store, 60_000);
    } finally {
      await world?.close();
      world = new E2eWorld('unused');
      await etcd?.stop();
    }
  });

  it('loses nothing when an ingestor is SIGKILLed mid-batch and a new one takes over', async () => {
    world = new E2eWorld(testEtcdEndpoints());
    await world.start({ workload: { ...workload, tasksPerCluster: 300, seed: 13 } });
    const first = await world.startIngestor({ INGEST_POLLERS: '2' });
    world.sim.workload!.start();
    await eventually('some records applied', async () => (await first.metric(INGEST_METRICS.applied, 'kind="task"')) > 50, { timeoutMs: 60_000, intervalMs: 100 });
    await first.kill();
    await sleep(300);
    world.sim.workload!.stop();
    await world.eventsDelivered();
    await world.startIngestor();
    await expectStoreToMatchTruth(world.sim, world.store, 60_000);
  });

  it('gives the same result with two ingestors on one queue, one of them making its SQS calls on the main thread and three writes at a time', async () => {
    world = new E2eWorld(testEtcdEndpoints());
    await world.start({ workload: { ...workload, tasksPerCluster: 200, seed: 17 }, faults: { seed: 17, events: { duplicateRate: 0.2 } } });
    const [a, b] = await Promise.all([world.startIngestor(), world.startIngestor({ INGEST_SQS_THREAD: 'false', INGEST_WRITES_IN_FLIGHT: '3' })]);
    const started = [a, b].map((i) => i.logs.find((l) => l.message === 'ingesting'));
    expect(started.map((l) => l?.sqsThread)).toEqual([true, false]);
    expect(started.map((l) => l?.writesInFlight)).toEqual([1, 3]);
    world.sim.workload!.start();
    await sleep(1500);
    // The churn goes on until both have taken messages: which one a busy machine lets poll first is not the point.
    await eventually('both ingestors to receive messages', async () => (await a.metric(INGEST_METRICS.received)) > 0 && (await b.metric(INGEST_METRICS.received)) > 0, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    world.sim.workload!.stop();
    await world.eventsDelivered();
    await expectStoreToMatchTruth(world.sim, world.store, 60_000);
    // Replicas may or may not have raced for a key in this run; the count is exported either way.
    expect(await a.metrics()).toContain(`${INGEST_METRICS.etcdConflicts}{`);
  });

  it.each(['true', 'false'])('stops cleanly on SIGTERM while busy (INGEST_SQS_THREAD=%s): in-flight work finished, exit 0 within the deadline', async (sqsThread) => {
    world = new E2eWorld(testEtcdEndpoints());
    await world.start({ workload: { ...workload, seed: 19 } });
    const ingestor = await world.startIngestor({ SHUTDOWN_TIMEOUT_MS: '10000', INGEST_WAIT_SECONDS: '20', INGEST_SQS_THREAD: sqsThread });
    world.sim.workload!.start();
    await sleep(500);
    ingestor.signal('SIGTERM');
    // Exit 0 is the in-deadline proof: past SHUTDOWN_TIMEOUT_MS the ingestor exits 1, and a long poll left running (20 s) would take it there.
    expect(await ingestor.exited()).toBe(0);
    expect(ingestor.logs.some((l) => l.message === 'stopped cleanly')).toBe(true);
    world.sim.workload!.stop();
    await world.eventsDelivered();
    // Whatever it had received but not finished comes back to the next ingestor.
    await world.startIngestor();
    await expectStoreToMatchTruth(world.sim, world.store, 60_000);
  });
});
