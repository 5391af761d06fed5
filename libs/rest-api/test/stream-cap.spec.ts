import { eventually } from '@ecs-state/test-support';
import { startHarness, type Harness } from './support/api-harness';
import { StreamClient } from './support/stream-client';
import { listenOnLoopback } from './support/listen-on-loopback';

describe('the stream-client cap', () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    h = await startHarness('stream-cap', { stream: { maxClients: 2 } });
    url = await listenOnLoopback(h.app);
  });
  afterAll(() => h.close());

  it('answers 503 past the cap, and admits a client again once one leaves', async () => {
    const a = await StreamClient.open(`${url}/v1/stream/tasks`);
    const b = await StreamClient.open(`${url}/v1/stream/instances`);
    expect([a.status, b.status]).toEqual([200, 200]);

    const refused = await fetch(`${url}/v1/stream/tasks`);
    expect(refused.status).toBe(503);
    expect(await refused.text()).toBe('Too many stream clients\n');

    a.close();
    await eventually('h.view.status().subscribers < 2', () => h.view.status().subscribers < 2, { timeoutMs: 5000 });
    // The server notices the closed connection asynchronously; allow it a moment.
    const admitted = await eventually('a stream client to be admitted again', async () => {
      const client = await StreamClient.open(`${url}/v1/stream/tasks`);
      if (client.status !== 503) return client;
      client.close();
      return undefined;
    });
    expect(admitted.status).toBe(200);
    admitted.close();
    b.close();
  });
});
