import { eventually } from './eventually';

describe('eventually', () => {
  it('resolves with the first value that is not undefined, null or false, sync or async', async () => {
    let calls = 0;
    await expect(eventually('the third call', () => (++calls >= 3 ? calls : undefined), { intervalMs: 1 })).resolves.toBe(3);
    let asyncCalls = 0;
    await expect(eventually('a true answer', async () => ++asyncCalls >= 2, { intervalMs: 1 })).resolves.toBe(true);
    await expect(eventually('zero', () => 0)).resolves.toBe(0);
    await expect(eventually('an empty string', () => '')).resolves.toBe('');
  });

  it('keeps checking while the check throws', async () => {
    let calls = 0;
    const value = await eventually(
      'a server to answer',
      () => {
        if (++calls < 3) throw new Error('connection refused');
        return 'up';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('up');
  });

  it('names what timed out, the last value and the context', async () => {
    const started = Date.now();
    await expect(eventually('the queue to drain', () => null, { timeoutMs: 60, intervalMs: 5, context: () => 'queue depth 4' })).rejects.toThrow(
      'timed out after 60 ms waiting for the queue to drain; the last check returned null\nqueue depth 4',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it('reports the last error of a check that never passes', async () => {
    await expect(
      eventually(
        'etcd',
        () => {
          throw new Error('ECONNREFUSED');
        },
        { timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow('timed out after 20 ms waiting for etcd; the last check threw ECONNREFUSED');
  });

  it('gives up before the deadline when told why', async () => {
    const started = Date.now();
    await expect(eventually('the banner', () => false, { timeoutMs: 10_000, giveUpIf: () => 'the stack exited with 1' })).rejects.toThrow(
      'gave up waiting for the banner: the stack exited with 1; the last check returned false',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
