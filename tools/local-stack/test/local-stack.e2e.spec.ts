import { eventually } from '@ecs-state/test-support';
import { descendants, parentOf, processAlive } from './process-tree';
import { bannerCommands, readmeApiBlocks, runExamples, withoutBannerExport, type ShellRun } from './shell-examples';
import { bannerAccess, startedPids, startStack, watching, type RunningStack } from './stack-process';

// Markdown files whose `sh` examples call the api; each must run as it is.
const READMES = ['README.md', 'tools/local-stack/README.md', 'deploy/README.md'];

async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(url.replace(/^redis:/, 'http:'), { signal: AbortSignal.timeout(1000) });
    return false;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return cause?.code === 'ECONNREFUSED';
  }
}

/** The exit code, and on failure the traced commands (stderr) so that the diff shows which one failed. */
function succeeded(run: ShellRun): { code: number | null; trace: string } {
  return { code: run.code, trace: run.code === 0 ? '' : `${run.stderr}\nstdout (end):\n${run.stdout.slice(-2000)}` };
}

let stack: RunningStack | undefined;
afterEach(() => {
  // A failed assertion must not leave a stack running.
  if (stack && stack.proc.exitCode === null) {
    try {
      process.kill(-(stack.proc.pid ?? -1), 'SIGKILL');
    } catch {
      stack.proc.kill('SIGKILL');
    }
  }
  stack = undefined;
});

describe('npm start (tools/local-stack)', () => {
  it('runs the whole stack, serves tasks from the simulator, and leaves nothing behind on Ctrl-C', async () => {
    const s = (stack = startStack({ via: 'npm', ownGroup: true }));
    const { api, token } = await eventually('the banner', () => bannerAccess(s.output()), { timeoutMs: 70_000, ...watching(s) });
    const auth = { authorization: `Bearer ${token}` };

    const tasks = await eventually('tasks in the API', async () => {
        const res = await fetch(`${api}/v1/tasks`, { headers: auth });
        const body = (await res.json()) as { items?: { entity: { taskARN: string; clusterARN: string } }[] };
        return body.items && body.items.length > 0 ? body.items : undefined;
      }, { timeoutMs: 45_000, ...watching(s) });
    expect(tasks[0]?.entity.clusterARN).toMatch(/:cluster\/workload-[01]$/);
    const docs = await fetch(`${api}/docs/json`);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { openapi?: string }).openapi).toMatch(/^3\./);
    expect((await fetch(`${api}/v1/tasks`)).status).toBe(401);

    // The banner's commands, pasted as printed, and the READMEs' examples work against the stack.
    const commands = bannerCommands(s.output());
    expect(commands[0]).toBe(`export API=${api} TOKEN=${token}`);
    const fromBanner = await runExamples(commands.join('\n'));
    expect(succeeded(fromBanner)).toEqual({ code: 0, trace: '' });
    expect(fromBanner.stdout).toContain('"taskARN"');
    const blocks = READMES.flatMap((file) => readmeApiBlocks(file).map((block) => ({ file, block })));
    expect(blocks.map((b) => b.file)).toEqual(expect.arrayContaining(READMES));
    for (const { file, block } of blocks) {
      const run = await runExamples(withoutBannerExport(block), { API: api, API_URL: api, TOKEN: token });
      expect({ file, ...succeeded(run) }).toEqual({ file, code: 0, trace: '' });
    }

    const tree = descendants(s.proc.pid ?? -1);
    const pids = startedPids(s.output());
    expect([...pids.keys()]).toEqual(expect.arrayContaining(['etcd', 'redis', 'ecs-sim', 'ingestor', 'reconciler', 'api']));
    // etcd and Redis themselves run under their launchers: the tree is larger than the direct children.
    expect(tree.length).toBeGreaterThan(pids.size);

    // Ctrl-C on a busy machine: the stack is not scheduled for a while after the signal.
    // Nothing between npm and the stack may give up on it meanwhile (tsx's CLI, as a relay,
    // SIGKILLed a child that had not acknowledged a signal within 60 ms).
    const stackPid = parentOf(pids.get('api') ?? -1) ?? -1;
    expect(tree).toContain(stackPid);
    process.kill(stackPid, 'SIGSTOP');
    process.kill(-(s.proc.pid ?? -1), 'SIGINT');
    await new Promise((r) => setTimeout(r, 500));
    process.kill(stackPid, 'SIGCONT');
    expect(await s.exit).toEqual({ code: 0, signal: null });
    const out = s.output();
    const order = ['stopped api', 'stopped reconciler', 'stopped ingestor', 'stopped ecs-sim'].map((m) => out.indexOf(m));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toContain('all services stopped');
    expect(tree.filter(processAlive)).toEqual([]);
  }, 200_000);

  it('stops everything and exits non-zero when a service dies', async () => {
    // An invalid simulator setting makes it exit at start, as a crash would.
    const s = (stack = startStack({ via: 'node', env: { ECS_SIM_FAULTS: 'not json' } }));
    const { code } = await s.exit;
    const out = s.output();
    expect(code).toBe(1);
    expect(out).toContain('ecs-sim exited unexpectedly (exit code 2); stopping everything');
    expect(out).toContain('all services stopped');
    for (const [name, pid] of startedPids(out)) expect([name, processAlive(pid)]).toEqual([name, false]);
    for (const [, url] of out.matchAll(/\] +ready (\S+)/g)) expect(await refusesConnections(url ?? '')).toBe(true);
  }, 120_000);
});
