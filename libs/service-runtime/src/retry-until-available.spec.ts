import { Backoff } from './backoff';
import { retryUntilAvailable } from './retry-until-available';

describe('retryUntilAvailable', () => {
  it('retries a failing attempt with backoff, warning each time, until it succeeds', async () => {
    const warnings: { message: string; meta: Record<string, unknown> }[] = [];
    let calls = 0;
    const value = await retryUntilAvailable(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error(`down ${calls}`);
        return 'up';
      },
      {
        what: 'reach the thing',
        logger: { warn: (message, meta) => warnings.push({ message, meta }) },
        meta: { target: 't' },
        signal: new AbortController().signal,
        backoff: new Backoff(10, 20, () => 0.5),
      },
    );
    expect(value).toBe('up');
    expect(calls).toBe(3);
    expect(warnings).toEqual([
      { message: 'cannot reach the thing yet; retrying', meta: { target: 't', delayMs: 5, error: 'down 1' } },
      { message: 'cannot reach the thing yet; retrying', meta: { target: 't', delayMs: 10, error: 'down 2' } },
    ]);
  });

  it('throws the failure instead of retrying once the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const warnings: string[] = [];
    await expect(
      retryUntilAvailable(() => Promise.reject(new Error('still down')), {
        what: 'reach the thing',
        logger: { warn: (message) => warnings.push(message) },
        signal: controller.signal,
      }),
    ).rejects.toThrow('still down');
    expect(warnings).toEqual([]);
  });
});
