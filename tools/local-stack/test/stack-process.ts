import type { EventuallyOptions } from '@ecs-state/test-support';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

export interface RunningStack {
  proc: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StackLaunch {
  /** `npm start` itself, or the command its script runs (`node --import tsx tools/local-stack/src/main.ts`). */
  via: 'npm' | 'node';
  env?: Record<string, string>;
  /** In a process group of its own, as a shell starts a command: a group signal is then a terminal's. */
  ownGroup?: boolean;
}

/** The stack, small and on free ports, with the etcd and Redis it starts itself. */
export function startStack({ via, env: extraEnv = {}, ownGroup = false }: StackLaunch): RunningStack {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: '0',
    SIM_PORT: '0',
    INGESTOR_METRICS_PORT: '0',
    RECONCILER_METRICS_PORT: '0',
    DEMO_CLUSTERS: '2',
    DEMO_INSTANCES: '1',
    DEMO_TASKS: '5',
    DEMO_TASK_RATE: '5',
    DEMO_SEED: '7',
    NO_COLOR: '1',
    ...extraEnv,
  };
  for (const name of ['ETCD_ENDPOINTS', 'REDIS_URL', 'QUEUE_URL', 'QUEUE_NAME', 'API_TOKENS', 'AWS_ENDPOINT_URL']) delete env[name];
  const [command, args] = via === 'npm' ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'tools/local-stack/src/main.ts']];
  const proc = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: ownGroup });
  let text = '';
  proc.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, output: () => text, exit };
}

/** Options of `eventually` that wait on a stack: its output in the message, and no waiting past its end. */
export function watching(stack: RunningStack): EventuallyOptions {
  return {
    intervalMs: 200,
    context: () => `Output:\n${stack.output()}`,
    giveUpIf: () => (stack.proc.exitCode !== null || stack.proc.signalCode !== null ? 'the stack ended' : undefined),
  };
}

/** API URL and token from the ready banner. */
export function bannerAccess(output: string): { api: string; token: string } | undefined {
  const match = /export API=(\S+) TOKEN=(\S+)/.exec(output);
  return match?.[1] && match[2] ? { api: match[1], token: match[2] } : undefined;
}

/** Process id of each service's leash, from the stack's `started <name> (pid <n>)` lines. */
export function startedPids(output: string): Map<string, number> {
  return new Map([...output.matchAll(/\[local-stack\] +started (\S+) \(pid (\d+)\)/g)].map((m) => [m[1] ?? '', Number(m[2])]));
}
