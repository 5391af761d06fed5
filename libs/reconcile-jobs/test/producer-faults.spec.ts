import { eventually } from '@ecs-state/test-support';
import { startRedis, type RedisServer } from '@ecs-state/local-services';
import { Redis } from 'ioredis';
import { createReconcileClient, RedisUnavailableError, type ReconcileClient } from '../src';
import { uniquePrefix } from './support';

const TIMEOUT_MS = 400;
/**
 * A failure "within the timeout": late by no more than a slow machine makes it, and well
 * before the 5 s connect timeout or the reconnect retries the calls must not wait for.
 */
const WITHIN_TIMEOUT_MS = 3_000;

/** Producer calls while Redis is stalled or down fail fast with RedisUnavailableError, and work again when it is back. Dedicated Redis. */
describe('the reconcile client while Redis is away', () => {
  let redis: RedisServer;
  let client: ReconcileClient;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    redis = await startRedis({ persistent: true });
    // A SIGKILL loses what the append-only file has not written yet, which with the default
    // fsync of every second can be the run just enqueued on a busy machine.
    const admin = new Redis(redis.url);
    await admin.config('SET', 'appendfsync', 'always');
    await admin.quit();
    client = createReconcileClient({ connection: redis.url, prefix, timeoutMs: TIMEOUT_MS });
  }, 30_000);
  afterAll(async () => {
    redis.resume();
    await client.close();
    await redis.stop();
  });

  const failure = async (call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> => {
    const started = Date.now();
    const error = await call().then(() => 'answered', (e: unknown) => e);
    return { error, ms: Date.now() - started };
  };

  it.each([
    ['stalled (SIGSTOP)', () => Promise.resolve(redis.pause()), () => Promise.resolve(redis.resume())],
    ['down (SIGKILL)', () => redis.kill(), () => redis.start()],
  ])('enqueue, get and ping fail with RedisUnavailableError within the timeout while Redis is %s, and answer again after', async (_state, stop, restore) => {
    const { id } = await client.enqueue(['cluster-a']);
    await stop();
    try {
      for (const call of [() => client.enqueue(['cluster-x']), () => client.get(id), () => client.ping()]) {
        const { error, ms } = await failure(call);
        expect(error).toBeInstanceOf(RedisUnavailableError);
        expect(ms).toBeLessThan(WITHIN_TIMEOUT_MS);
      }
    } finally {
      await restore();
    }
    let lastFailure = 'none';
    const run = await eventually('the run to be readable again', () => client.get(id).catch((error: Error) => ((lastFailure = error.message), null)), {
      timeoutMs: 20_000,
      context: () => `last failure: ${lastFailure}`,
    });
    expect(run).toMatchObject({ id, requestedClusters: ['cluster-a'] });
    await client.ping();
  }, 30_000);

  it('a client created while Redis is stalled fails fast, then answers once Redis resumes', async () => {
    redis.pause();
    // Closed whatever happens: left open, it would reconnect for ever to the Redis that
    // afterAll stops, and keep Jest from exiting.
    const late = createReconcileClient({ connection: redis.url, prefix, timeoutMs: TIMEOUT_MS });
    try {
      try {
        const { error, ms } = await failure(() => late.ping());
        expect(error).toBeInstanceOf(RedisUnavailableError);
        expect(ms).toBeLessThan(WITHIN_TIMEOUT_MS);
      } finally {
        redis.resume();
      }
      await eventually('the late client to answer', () => late.ping().then(() => true, () => false), { timeoutMs: 20_000 });
      const { id } = await late.enqueue(['cluster-b']);
      expect(await late.get(id)).toMatchObject({ id, requestedClusters: ['cluster-b'] });
    } finally {
      await late.close();
    }
    // With Redis up, a client just created answers at once: its first call waits for the connection.
    const fresh = createReconcileClient({ connection: redis.url, prefix, timeoutMs: TIMEOUT_MS });
    try {
      await expect(fresh.ping()).resolves.toBeUndefined();
    } finally {
      await fresh.close();
    }
  }, 30_000);
});
