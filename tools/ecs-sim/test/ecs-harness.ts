import { ECSClient } from '@aws-sdk/client-ecs';
import { type EcsServiceOptions, type EcsSimulator, type Simulator, startSimulator } from '../src';

export interface CapturedEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown> & { version: number };
}

export interface EcsHarness {
  readonly sim: Simulator;
  readonly ecs: EcsSimulator;
  readonly client: ECSClient;
  /** Every published event, in order of publication (they still reach the event queue too). */
  readonly events: CapturedEvent[];
  close(): Promise<void>;
}

/** The simulator on a free port, its ECS driven by the real AWS SDK client. */
export async function startEcs(options: Omit<EcsServiceOptions, 'publisher'> = {}): Promise<EcsHarness> {
  const { region = 'us-east-1', account = '123456789012', ...ecsOptions } = options;
  const sim = await startSimulator({
    port: 0,
    region,
    accountId: account,
    ecs: { transitionDelayMs: 0, ...ecsOptions },
  });
  const ecs = sim.ecs;
  if (!ecs) throw new Error('the simulator started without ECS');
  const events: CapturedEvent[] = [];
  ecs.setPublisher({
    publish(body) {
      events.push(JSON.parse(body) as CapturedEvent);
      sim.events?.publish(body);
    },
  });
  const client = new ECSClient({
    endpoint: sim.endpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    sim,
    ecs,
    client,
    events,
    async close() {
      client.destroy();
      await sim.close();
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 15, 12, 0, 0, 0)): { now: () => number; advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}

