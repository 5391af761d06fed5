import { spawn } from 'node:child_process';
import { join } from 'node:path';

function runUntilSignal(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/graceful-process.ts')], {
      env: { ...process.env, ...env },
    });
    let output = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (!signalled && output.includes('ready\n')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('handleShutdownSignals', () => {
  it('exits 0 after stop() finishes within the deadline', async () => {
    const { code, output } = await runUntilSignal({ STOP_MS: '100', DEADLINE_MS: '5000' });
    expect(code).toBe(0);
    expect(output).toContain('"message":"stopped cleanly"');
  }, 20_000);

  it('exits 1 when stop() overruns the deadline', async () => {
    const { code, output } = await runUntilSignal({ STOP_MS: '10000', DEADLINE_MS: '200' });
    expect(code).toBe(1);
    expect(output).toContain('shutdown deadline passed');
  }, 20_000);
});
