import { eventually } from '@ecs-state/test-support';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { descendants, processAlive } from './process-tree';

// Each test starts and stops node processes: a slow, busy machine takes seconds for what takes milliseconds here.
jest.setTimeout(90_000);

const LEASH = join(__dirname, '..', 'src', 'leash.mjs');
const FIXTURE = join(__dirname, 'fixtures', 'fixture-service.mjs');

// A stand-in for the stack: holds one leash, lets the service write to its own output,
// and prints the leash's pid. Killing it is the stack dying without cleaning up.
const HOLDER = `
const { spawn } = require('node:child_process');
const leash = spawn(process.execPath, process.argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
console.log('leash ' + leash.pid);
setInterval(() => {}, 1000);
`;

interface Held {
  holder: number;
  leash: number;
  service: number;
  output: () => string;
}

async function hold(graceMs: number, env: Record<string, string>): Promise<Held> {
  const holder = spawn(process.execPath, ['-e', HOLDER, LEASH, String(graceMs), process.execPath, FIXTURE], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  holder.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  holder.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const output = () => text;
  await eventually('the service is ready', () => text.includes('ready now'), { timeoutMs: 30_000, intervalMs: 20, context: output });
  const leash = Number(/^leash (\d+)$/m.exec(text)?.[1]);
  const [service] = descendants(leash);
  if (!holder.pid || !service) throw new Error(`no service under the leash. Output:\n${text}`);
  return { holder: holder.pid, leash, service, output };
}

const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe('leash', () => {
  it('stops the service with SIGTERM when its holder dies, even by SIGKILL', async () => {
    const held = await hold(30_000, { FIXTURE_READY_AFTER_MS: '0' });
    pids.push(held.holder, held.leash, held.service);
    process.kill(held.holder, 'SIGKILL');
    // Well before the 30 s grace: the service stopped on SIGTERM, it was not killed.
    await eventually('the service and its leash are gone', () => !processAlive(held.service) && !processAlive(held.leash), { timeoutMs: 15_000, intervalMs: 20, context: held.output });
    expect(held.output()).toContain('stopping on SIGTERM');
  });

  it('kills the service and what it started once the grace has passed', async () => {
    // A grace long enough for the service to report the SIGTERM it ignores, however busy the machine.
    const held = await hold(2000, { FIXTURE_READY_AFTER_MS: '0', FIXTURE_ON_SIGTERM: 'ignore', FIXTURE_GRANDCHILD: '1' });
    const grandchild = Number(/^grandchild (\d+)$/m.exec(held.output())?.[1]);
    pids.push(held.holder, held.leash, held.service, grandchild);
    expect(processAlive(grandchild)).toBe(true);
    process.kill(held.holder, 'SIGKILL');
    await eventually('the service got SIGTERM', () => held.output().includes('ignoring SIGTERM'), { timeoutMs: 15_000, intervalMs: 20, context: held.output });
    await eventually('the service, its child and the leash are gone', () => ![held.service, grandchild, held.leash].some(processAlive), { timeoutMs: 15_000, intervalMs: 20, context: held.output });
  });

  it('is transparent while held: SIGTERM passes on and it ends as the service did', async () => {
    const leash = spawn(process.execPath, [LEASH, '30000', process.execPath, FIXTURE], {
      env: { ...process.env, FIXTURE_EXIT_AFTER_MS: '300' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let text = '';
    leash.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => leash.once('exit', (code, signal) => resolve([code, signal])));
    await expect(exited).resolves.toEqual([3, null]);
    expect(text).toContain('hello from stdout');

    // A service that ends by a signal of its own on SIGTERM.
    const service = "process.on('SIGTERM', () => process.kill(process.pid, 'SIGUSR2')); console.log('listening'); setInterval(() => {}, 1000)";
    const killed = spawn(process.execPath, [LEASH, '30000', process.execPath, '-e', service], { stdio: ['ignore', 'pipe', 'ignore', 'ipc'] });
    let killedText = '';
    killed.stdout?.on('data', (chunk: Buffer) => (killedText += chunk.toString()));
    const killedExit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => killed.once('exit', (code, signal) => resolve([code, signal])));
    await eventually('the service is listening', () => killedText.includes('listening'), { timeoutMs: 30_000, intervalMs: 20, context: () => killedText });
    killed.kill('SIGTERM');
    await expect(killedExit).resolves.toEqual([null, 'SIGUSR2']);
  });
});
