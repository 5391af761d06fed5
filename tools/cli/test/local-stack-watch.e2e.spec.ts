import { eventually } from '@ecs-state/test-support';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readTable } from './support/table-text';

const ROOT = join(__dirname, '..', '..', '..');

interface Running {
  proc: ChildProcess;
  output(): string;
  exit: Promise<number | null>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Running {
  // A process group of its own, as a shell starts a command: the test signals the whole group.
  const proc = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let text = '';
  proc.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, output: () => text, exit };
}

const outputs = (running: Running[]) => `Output:\n${running.map((r) => r.output()).join('\n----\n')}`;

/** The CLI lines of the ready banner, as printed. */
function bannerCliCommands(output: string): string[] | undefined {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.startsWith('Or the ecs-state CLI'));
  if (start < 0) return undefined;
  const commands: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    commands.push(line.trim());
  }
  return commands;
}

const started: Running[] = [];
afterEach(async () => {
  // A failed assertion must not leave anything running.
  for (const r of started.splice(0)) {
    if (r.proc.exitCode === null && r.proc.signalCode === null) {
      process.kill(-(r.proc.pid ?? 0), 'SIGINT');
      await Promise.race([r.exit, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (r.proc.exitCode === null && r.proc.signalCode === null) process.kill(-(r.proc.pid ?? 0), 'SIGKILL');
    }
  }
});

describe('npx ecs-state against npm start (tools/local-stack)', () => {
  it("the banner's `get tasks --watch`, pasted as printed, shows a task of the demo workload start and stop", async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      API_PORT: '0',
      SIM_PORT: '0',
      INGESTOR_METRICS_PORT: '0',
      RECONCILER_METRICS_PORT: '0',
      DEMO_CLUSTERS: '2',
      DEMO_INSTANCES: '1',
      DEMO_TASKS: '4',
      DEMO_TASK_RATE: '8',
      DEMO_EVENT_LOSS: '0',
      DEMO_SEED: '5',
      NO_COLOR: '1',
    };
    // The stack starts its own etcd and Redis, as `npm start` does on a fresh machine.
    for (const name of ['ETCD_ENDPOINTS', 'REDIS_URL', 'QUEUE_URL', 'QUEUE_NAME', 'API_TOKENS', 'AWS_ENDPOINT_URL', 'ECS_STATE_URL', 'ECS_STATE_TOKEN']) delete env[name];
    const stack = run(process.execPath, ['--import', 'tsx', 'tools/local-stack/src/main.ts'], env);
    started.push(stack);
    const commands = await eventually('the banner', () => bannerCliCommands(stack.output()), { timeoutMs: 90_000, intervalMs: 200, context: () => outputs([stack]) });
    expect(commands[0]).toMatch(/^export ECS_STATE_URL=http:\/\/127\.0\.0\.1:\d+ ECS_STATE_TOKEN=demo-\S+$/);
    const watchLine = commands.find((line) => line.includes('--watch'));
    expect(watchLine).toBe('npx ecs-state get tasks --cluster workload-0 --watch');

    const cliEnv = { ...process.env };
    delete cliEnv['ECS_STATE_URL'];
    delete cliEnv['ECS_STATE_TOKEN'];
    const watch = run('bash', ['-c', `${commands[0]}\n${watchLine}`], { ...cliEnv, COLUMNS: '200' });
    started.push(watch);

    // A task that the watch sees appear and then stop: started and stopped by the demo workload.
    const rows = () => {
      try {
        return readTable(watch.output()).rows;
      } catch {
        return [];
      }
    };
    const startedAndStopped = await eventually('a task starting and stopping', () => {
        const all = rows();
        const added = all.filter((r) => r['EVENT'] === 'ADDED').map((r) => r['TASK']);
        return added.find((id) => all.some((r) => r['TASK'] === id && r['EVENT'] === 'MODIFIED' && r['LAST'] === 'STOPPED'));
      }, { timeoutMs: 60_000, intervalMs: 200, context: () => outputs([watch]) });
    const lines = rows();
    expect(lines[0]).toBeDefined();
    expect(lines.filter((r) => r['EVENT'] === '').length).toBeGreaterThan(0);
    expect(lines.every((r) => r['CLUSTER'] === 'workload-0')).toBe(true);
    const history = lines.filter((r) => r['TASK'] === startedAndStopped);
    expect(history[0]?.['EVENT']).toBe('ADDED');
    expect(history.at(-1)?.['LAST']).toBe('STOPPED');

    process.kill(-(watch.proc.pid ?? 0), 'SIGINT');
    await watch.exit;
    process.kill(-(stack.proc.pid ?? 0), 'SIGINT');
    expect(await stack.exit).toBe(0);
  }, 200_000);
});
