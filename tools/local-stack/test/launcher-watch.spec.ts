import { spawn } from 'node:child_process';
import { launcherLinks, watchLauncher, type ProcessLink } from '../src/launcher-watch';
import { parentOf } from './process-tree';

// outer sh → inner sh → sleep, in a process group of their own as a shell would make for
// a command; `; true` keeps each sh from replacing itself with its last command.
const NESTED = `sh -c 'sleep 60 & echo "$$ $!"; wait; true'; true`;

async function nestedGroup(): Promise<{ outer: number; inner: number; sleep: number }> {
  const outer = spawn('sh', ['-c', NESTED], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise<string>((resolve) => outer.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  const [inner, sleep] = line.trim().split(' ').map(Number);
  if (!outer.pid || !inner || !sleep) throw new Error(`unexpected output: ${line}`);
  return { outer: outer.pid, inner, sleep };
}

let group: number | undefined;
afterEach(() => {
  if (group !== undefined) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // gone
    }
  }
  group = undefined;
});

describe('launcherLinks', () => {
  it('follows the parents that share the process group, and stops at the group leader', async () => {
    const { outer, inner, sleep } = await nestedGroup();
    group = outer;
    expect(launcherLinks(sleep, inner)).toEqual([
      { pid: sleep, parent: inner },
      { pid: inner, parent: outer },
    ]);
  });
});

describe('watchLauncher', () => {
  it('reports the first process of the chain that ends, even by SIGKILL', async () => {
    const { outer, inner, sleep } = await nestedGroup();
    group = outer;
    const gone = new Promise<ProcessLink>((resolve) => watchLauncher(launcherLinks(sleep, inner), resolve, 50));
    process.kill(outer, 'SIGKILL');
    await expect(gone).resolves.toEqual({ pid: inner, parent: outer });
    expect(parentOf(inner)).not.toBe(outer);
  });

  it('stays quiet while the chain is whole', async () => {
    const { outer, inner, sleep } = await nestedGroup();
    group = outer;
    let reported = false;
    const stop = watchLauncher(launcherLinks(sleep, inner), () => (reported = true), 20);
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(reported).toBe(false);
  });
});
