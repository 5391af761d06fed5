import { spawn } from 'node:child_process';
import { join } from 'node:path';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the fixture service; once it logs "started", sends `signal` if one is given. */
function runFixture(env: Record<string, string>, signal?: NodeJS.Signals): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/run-service-process.ts')], {
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (signal !== undefined && !signalled && stdout.includes('"message":"started"')) {
        signalled = true;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('runService', () => {
  it('exits 2 on bad configuration, listing every problem of every part under the service name, before starting', async () => {
    const { code, stdout, stderr } = await runFixture({ SHUTDOWN_TIMEOUT_MS: 'soon', LOG_LEVEL: 'loud', FIXTURE_SECOND_PROBLEM: 'is wrong too' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^fixture: Invalid configuration:\n/);
    expect(stderr).toContain('  - SHUTDOWN_TIMEOUT_MS="soon": must be a whole number');
    expect(stderr).toContain('  - LOG_LEVEL="loud": must be one of error, warn, info, debug');
    expect(stderr).toContain('  - FIXTURE_SECOND_PROBLEM: is wrong too');
    expect(stdout).not.toContain('started');
  }, 20_000);

  it('exits 1 when the start fails, with one JSON log line naming the service and the error', async () => {
    const { code, stderr } = await runFixture({ FIXTURE_START_ERROR: 'etcd is unreachable' });
    expect(code).toBe(1);
    const lines = jsonLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', service: 'fixture', message: 'failed to start', error: 'etcd is unreachable' });
  }, 20_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s stops the service and exits 0', async (signal) => {
    const { code, stdout } = await runFixture({ FIXTURE_STOP_MS: '100' }, signal);
    expect(code).toBe(0);
    const messages = jsonLines(stdout).map((line) => [line['service'], line['message']]);
    expect(messages).toEqual([
      ['fixture', 'started'],
      ['fixture', 'shutting down'],
      ['fixture', 'stopped cleanly'],
    ]);
  }, 20_000);

  it('exits 1 when stop() overruns SHUTDOWN_TIMEOUT_MS', async () => {
    const { code, stdout } = await runFixture({ FIXTURE_STOP_MS: '10000', SHUTDOWN_TIMEOUT_MS: '300' }, 'SIGTERM');
    expect(code).toBe(1);
    expect(stdout).toContain('"message":"shutdown deadline passed; exiting with work unfinished"');
  }, 20_000);
});
