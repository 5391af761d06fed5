import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { eventually } from '@ecs-state/test-support';
import type { EventPublisher, Simulator } from '../src';
import { createFaultyPublisher, FaultController } from '../src';
import { type SqsHarness, startSqs } from './sqs-harness';

/** Collects what reaches the queue side of the wrapper, in delivery order. */
function recorder(): EventPublisher & { bodies: string[] } {
  const bodies: string[] = [];
  return { bodies, publish: (body) => bodies.push(body) };
}

const events = (n: number): string[] => Array.from({ length: n }, (_, i) => `e${i}`);

describe('event-level faults (wrapper publisher)', () => {
  it('passes events through unchanged without faults', () => {
    const sink = recorder();
    const publisher = createFaultyPublisher(sink, new FaultController());
    for (const e of events(100)) publisher.publish(e);
    expect(sink.bodies).toEqual(events(100));
  });

  it('drops about the configured fraction, reproducibly for a seed', () => {
    const run = (seed: number): string[] => {
      const sink = recorder();
      const publisher = createFaultyPublisher(sink, new FaultController({ seed, events: { dropRate: 0.2 } }));
      for (const e of events(5_000)) publisher.publish(e);
      return sink.bodies;
    };
    const delivered = run(42);
    expect(delivered.length).toBeGreaterThan(5_000 * 0.77);
    expect(delivered.length).toBeLessThan(5_000 * 0.83);
    expect(run(42)).toEqual(delivered);
    expect(run(43)).not.toEqual(delivered);
    // Survivors keep their order when there is no delay.
    expect([...delivered].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))).toEqual(delivered);
  });

  it('duplicates about the configured fraction', () => {
    const sink = recorder();
    const publisher = createFaultyPublisher(sink, new FaultController({ seed: 3, events: { duplicateRate: 0.1 } }));
    for (const e of events(5_000)) publisher.publish(e);
    const extra = sink.bodies.length - 5_000;
    expect(extra).toBeGreaterThan(5_000 * 0.07);
    expect(extra).toBeLessThan(5_000 * 0.13);
    expect(new Set(sink.bodies).size).toBe(5_000);
  });

  it('delays events by up to maxDelayMs, which reorders them, and loses none', async () => {
    const sink = recorder();
    const publisher = createFaultyPublisher(sink, new FaultController({ seed: 5, events: { maxDelayMs: 80 } }));
    for (const e of events(200)) publisher.publish(e);
    expect(sink.bodies).toEqual([]);
    expect(publisher.pending).toBe(200);
    // Each is held up to 80 ms; a busy machine fires the timers later.
    await eventually('every delayed event published', () => publisher.pending === 0, { timeoutMs: 10_000, intervalMs: 10 });
    expect([...sink.bodies].sort()).toEqual([...events(200)].sort());
    expect(sink.bodies).not.toEqual(events(200));
  });

  it('flushes held events at once, in the order their delays would have expired', () => {
    const sink = recorder();
    const publisher = createFaultyPublisher(sink, new FaultController({ seed: 8, events: { maxDelayMs: 60_000 } }));
    for (const e of events(50)) publisher.publish(e);
    publisher.flush();
    expect(publisher.pending).toBe(0);
    expect(sink.bodies).toHaveLength(50);
    expect(sink.bodies).not.toEqual(events(50));
    publisher.close();
  });

  it('applies settings changed at runtime to the next event', () => {
    const sink = recorder();
    const faults = new FaultController({ seed: 1 });
    const publisher = createFaultyPublisher(sink, faults);
    publisher.publish('kept');
    faults.update({ events: { dropRate: 1 } });
    publisher.publish('dropped');
    faults.update({ events: { dropRate: 0 } });
    publisher.publish('kept again');
    expect(sink.bodies).toEqual(['kept', 'kept again']);
  });
});

describe('the simulator event publisher', () => {
  let h: SqsHarness;
  let sim: Simulator;
  let sqs: SQSClient;

  beforeAll(async () => {
    h = await startSqs({ eventQueue: 'events', faults: { seed: 21 } });
    ({ sim, sqs } = h);
  });

  afterAll(async () => {
    await h.close();
  });

  async function drain(): Promise<string[]> {
    const bodies: string[] = [];
    for (;;) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: sim.eventQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }),
      );
      if (!Messages) return bodies;
      bodies.push(...Messages.map((m) => m.Body as string));
    }
  }

  it('delivers published events to the event queue as SQS messages, through the faults', async () => {
    sim.events?.publish('{"detail-type":"ECS Task State Change"}');
    expect(await drain()).toEqual(['{"detail-type":"ECS Task State Change"}']);

    sim.faults.update({ events: { dropRate: 0.5, duplicateRate: 0.5 } });
    for (const e of events(400)) sim.events?.publish(e);
    const received = await drain();
    const distinct = new Set(received);
    expect(distinct.size).toBeGreaterThan(150);
    expect(distinct.size).toBeLessThan(250);
    expect(received.length).toBeGreaterThan(distinct.size);
  });
});
