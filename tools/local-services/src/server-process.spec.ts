import { onFreePorts, ServerExitedError } from './server-process';

describe('onFreePorts', () => {
  it('starts again when the server exited during start-up (a port taken meanwhile), up to the attempts given', async () => {
    let calls = 0;
    const started = await onFreePorts(async () => {
      calls++;
      if (calls < 3) throw new ServerExitedError('etcd exited during start-up');
      return 'up';
    });
    expect(started).toBe('up');
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      onFreePorts(async () => {
        calls++;
        throw new ServerExitedError(`exited during start-up, attempt ${calls}`);
      }, 2),
    ).rejects.toThrow('attempt 2');
    expect(calls).toBe(2);
  });

  it('does not start again on any other failure', async () => {
    let calls = 0;
    await expect(
      onFreePorts(async () => {
        calls++;
        throw new Error('was not ready after 20000 ms');
      }),
    ).rejects.toThrow('not ready');
    expect(calls).toBe(1);
  });
});
