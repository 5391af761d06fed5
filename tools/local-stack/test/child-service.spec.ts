import { eventually } from '@ecs-state/test-support';
import { freePort } from '@ecs-state/local-services';
import { join } from 'node:path';
import { painter } from '../src/ansi';
import { ChildService, type ChildServiceOptions, type OutputStream } from '../src/child-service';
import { serviceOutput } from '../src/service-output';
import { processAlive } from './process-tree';

// Each test starts and stops node processes: a slow, busy machine takes seconds for what takes milliseconds here.
jest.setTimeout(90_000);

const FIXTURE = join(__dirname, 'fixtures', 'fixture-service.mjs');

function fixture(env: Record<string, string>, options: Partial<ChildServiceOptions> = {}) {
  const lines: { line: string; stream: OutputStream }[] = [];
  const service = new ChildService({
    name: 'fixture',
    command: process.execPath,
    args: [FIXTURE],
    env: { ...process.env, ...env },
    onLine: (line, stream) => lines.push({ line, stream }),
    ...options,
  });
  return { service, lines };
}

const started: ChildService[] = [];
afterEach(() => {
  for (const s of started.splice(0)) s.killNow();
});

describe('ChildService', () => {
  it('is ready once its readiness URL answers 200, and stops on SIGTERM', async () => {
    const port = await freePort();
    const { service, lines } = fixture(
      { FIXTURE_PORT: String(port), FIXTURE_READY_AFTER_MS: '600' },
      { readiness: { http: `http://127.0.0.1:${port}/readyz` } },
    );
    started.push(service);
    service.start();
    const begun = Date.now();
    await service.waitUntilReady(30_000);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(500);
    expect(service.running).toBe(true);

    const result = await service.stop(5000);
    expect(result).toMatchObject({ code: 0, signal: null, killed: false });
    expect(lines).toContainEqual({ line: 'stopping on SIGTERM', stream: 'stdout' });
    expect(lines).toContainEqual({ line: 'something on stderr', stream: 'stderr' });
    expect(processAlive(service.pid ?? -1)).toBe(false);
  });

  it('is ready when a stdout line matches, and answers with that line', async () => {
    const { service } = fixture({ FIXTURE_READY_AFTER_MS: '200' }, { readiness: { line: /^ready (\w+)$/ } });
    started.push(service);
    service.start();
    await expect(service.waitUntilReady(30_000)).resolves.toBe('ready now');
    await service.stop(5000);
  });

  it('kills a service, and its own children, that ignore SIGTERM past the deadline', async () => {
    const { service, lines } = fixture({ FIXTURE_ON_SIGTERM: 'ignore', FIXTURE_GRANDCHILD: '1' }, { readiness: { line: /^ready now$/ } });
    started.push(service);
    service.start();
    await service.waitUntilReady(30_000);
    const grandchild = Number(lines.find((l) => l.line.startsWith('grandchild '))?.line.split(' ')[1]);
    expect(processAlive(grandchild)).toBe(true);

    // Long enough for the SIGTERM handler to say so on a busy machine before the kill.
    const result = await service.stop(2000);
    expect(result).toMatchObject({ signal: 'SIGKILL', killed: true });
    expect(lines).toContainEqual({ line: 'ignoring SIGTERM', stream: 'stdout' });
    expect(processAlive(service.pid ?? -1)).toBe(false);
    await eventually('the grandchild to be gone', () => !processAlive(grandchild), { timeoutMs: 15_000, intervalMs: 20 });
  });

  it('fails the readiness wait when the service exits first', async () => {
    const port = await freePort();
    const { service } = fixture(
      { FIXTURE_PORT: String(port), FIXTURE_READY_AFTER_MS: '60000', FIXTURE_EXIT_AFTER_MS: '300' },
      { readiness: { http: `http://127.0.0.1:${port}/readyz` } },
    );
    started.push(service);
    service.start();
    await expect(service.waitUntilReady(30_000)).rejects.toThrow('fixture exited before it was ready (exit code 3)');
    expect(service.stopping).toBe(false);
  });

  it('fails the readiness wait at the deadline', async () => {
    const { service } = fixture({ FIXTURE_READY_AFTER_MS: '60000' }, { readiness: { line: /^ready now$/ } });
    started.push(service);
    service.start();
    await expect(service.waitUntilReady(300)).rejects.toThrow('fixture was not ready after 300 ms');
    await service.stop(5000);
  });

  it('reports a program that cannot be started', async () => {
    const service = new ChildService({ name: 'nothing', command: '/nonexistent/program', args: [], readiness: { line: /x/ } });
    service.start();
    await expect(service.waitUntilReady(5000)).rejects.toThrow(/nothing exited before it was ready \(could not start: .*ENOENT/);
  });
});

describe('serviceOutput', () => {
  it('prefixes every line with the service name and formats JSON log lines', async () => {
    const written = { stdout: '', stderr: '' };
    const terminal = {
      stdout: { write: (t: string) => (written.stdout += t) },
      stderr: { write: (t: string) => (written.stderr += t) },
    };
    const { service } = fixture(
      { FIXTURE_READY_AFTER_MS: '0' },
      {
        readiness: { line: /^ready now$/ },
        onLine: serviceOutput('fixture', 'cyan', { terminal, paint: painter(false), raw: false, width: 10 }),
      },
    );
    started.push(service);
    service.start();
    await service.waitUntilReady(30_000);
    await service.stop(5000);

    const out = written.stdout.split('\n');
    expect(out).toContain('[fixture]    hello from stdout');
    expect(out.find((l) => l.includes('disk almost full'))).toMatch(/^\[fixture\] {4}\d\d:\d\d:30\.456 warn {2}disk almost full free=3$/);
    expect(out).toContain('[fixture]    stopping on SIGTERM');
    expect(written.stderr).toBe('[fixture]    something on stderr\n');
  });
});
