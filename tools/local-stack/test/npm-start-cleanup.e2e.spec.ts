import { eventually } from '@ecs-state/test-support';
import { descendants, listeningPorts, listeningSockets, parentOf, processAlive, programOf } from './process-tree';
import { bannerAccess, startedPids, startStack, watching, type RunningStack } from './stack-process';

/** Every way `npm start` can end; `target` is who gets the signal. */
const ENDINGS = [
  { way: 'Ctrl-C (SIGINT to the process group)', target: 'group', signal: 'SIGINT' },
  { way: 'SIGINT to the npm process alone', target: 'npm', signal: 'SIGINT' },
  { way: 'SIGTERM to the npm process alone', target: 'npm', signal: 'SIGTERM' },
  { way: 'SIGTERM to the stack process', target: 'stack', signal: 'SIGTERM' },
  { way: 'SIGHUP to the process group, the terminal gone', target: 'group', signal: 'SIGHUP' },
  { way: 'SIGKILL of the stack process', target: 'stack', signal: 'SIGKILL' },
  { way: 'SIGKILL of the npm process', target: 'npm', signal: 'SIGKILL' },
] as const;
type Ending = (typeof ENDINGS)[number];

// Graceful stops take a second or two here, one service after another, each bounded by
// LOCAL_STACK_STOP_TIMEOUT_MS; a service still there after this much was left behind.
const GONE_WITHIN_MS = 60_000;
const SERVICES = ['etcd', 'redis', 'ecs-sim', 'ingestor', 'reconciler', 'api'];

interface ReadyStack {
  stack: RunningStack;
  /** npm and every process under it, collected once everything is ready. */
  tree: number[];
  /** The TCP ports those processes listen on. */
  ports: number[];
  /** The orchestrator: the node process of `node --import tsx tools/local-stack/src/main.ts`, parent of the leashes. */
  stackPid: number;
}

/** `npm start` in a process group of its own, as a shell runs it, with a small workload. */
async function readyStack(attempts = 3): Promise<ReadyStack> {
  const stack = startStack({
    via: 'npm',
    ownGroup: true,
    env: { DEMO_CLUSTERS: '1', DEMO_TASKS: '2', DEMO_TASK_RATE: '1', DEMO_EVENT_LOSS: '0', LOCAL_STACK_STOP_TIMEOUT_MS: '5000' },
  });
  try {
    await eventually('the banner', () => bannerAccess(stack.output()), { timeoutMs: 150_000, ...watching(stack) });
  } catch (err) {
    // A free port is free when it is picked, not when the service binds it: seven stacks
    // starting at once now and then pick the same one. The loser stops everything and exits.
    // On a loaded machine a service can also miss the stack's readiness deadline; a later start has more CPU to itself.
    if (attempts > 1 && /EADDRINUSE|was not ready after/.test(stack.output())) return readyStack(attempts - 1);
    throw err;
  }
  const npmPid = stack.proc.pid ?? -1;
  const tree = [npmPid, ...descendants(npmPid)];
  const started = startedPids(stack.output());
  const stackPid = parentOf(started.get('api') ?? -1) ?? -1;
  return { stack, tree, ports: listeningPorts(tree), stackPid };
}

function end(ready: ReadyStack, ending: Ending): void {
  const npmPid = ready.stack.proc.pid ?? -1;
  if (ending.signal === 'SIGHUP') {
    // A closed terminal: nobody reads the output any more.
    ready.stack.proc.stdout?.destroy();
    ready.stack.proc.stderr?.destroy();
  }
  const pid = ending.target === 'group' ? -npmPid : ending.target === 'npm' ? npmPid : ready.stackPid;
  process.kill(pid, ending.signal);
}

// All stacks start at once: each test then only ends its own.
const stacks = new Map<Ending['way'], Promise<ReadyStack>>();
beforeAll(() => {
  for (const ending of ENDINGS) {
    const ready = readyStack();
    ready.catch(() => undefined);
    stacks.set(ending.way, ready);
  }
});

const ended = new Set<Ending['way']>();
afterAll(async () => {
  // A stack whose test failed before ending it: its groups (npm's, each leash's) go at once.
  for (const [way, ready] of stacks) {
    if (ended.has(way)) continue;
    const found = await ready.catch(() => undefined);
    if (!found) continue;
    for (const leader of [found.stack.proc.pid ?? -1, ...startedPids(found.stack.output()).values()]) kill(-leader);
  }
});

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

describe('npm start leaves no process and no port behind, however it ends', () => {
  it.each(ENDINGS)('$way', async (ending) => {
    const ready = await stacks.get(ending.way);
    if (!ready) throw new Error(`no stack for ${ending.way}`);
    const { stack, tree, ports } = ready;
    // What must go: every service, etcd and redis-server themselves, the stack, npm.
    expect([...startedPids(stack.output()).keys()].sort()).toEqual([...SERVICES].sort());
    expect(tree.map(programOf)).toEqual(expect.arrayContaining(['etcd', 'redis-server']));
    expect(tree).toContain(ready.stackPid);
    expect(ports.length).toBeGreaterThanOrEqual(SERVICES.length);

    // Alive until now: whatever goes next went because of the ending.
    expect(tree.filter((pid) => !processAlive(pid))).toEqual([]);
    const endedAt = Date.now();
    end(ready, ending);
    ended.add(ending.way);
    const gone = () => tree.every((pid) => !processAlive(pid));
    while (!gone() && Date.now() - endedAt < GONE_WITHIN_MS) await new Promise((r) => setTimeout(r, 100));

    const left = tree.filter(processAlive);
    const described = left.map((pid) => `${pid} ${programOf(pid)}`);
    const stillListening = listeningSockets().filter((s) => ports.includes(s.port)).map((s) => s.port);
    for (const pid of left) kill(pid);
    expect(described).toEqual([]);
    expect(stillListening).toEqual([]);
  }, 300_000);
});
