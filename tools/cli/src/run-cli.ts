import { createReconcileClient, isRunId, type ReconcileClient, type ReconcileRunView } from '@ecs-state/reconcile-jobs';
import { parseCommand, USAGE, UsageError } from './args';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** Poll period while waiting for a run. */
  pollMs?: number;
}

/** Exit status: 0 success, 1 the run failed (or a cluster in it did), 2 usage or configuration error, 3 timed out. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (command.name === 'help') {
    io.out(USAGE);
    return 0;
  }
  const url = io.env['REDIS_URL'];
  if (!url || !/^rediss?:\/\//.test(url)) {
    io.err('REDIS_URL must be set to a redis:// or rediss:// URL');
    return 2;
  }
  const client = createReconcileClient({ connection: url, prefix: io.env['RECONCILE_QUEUE_PREFIX'] || undefined });
  try {
    if (command.name === 'status') {
      if (!isRunId(command.id)) throw new UsageError(`not a run id: ${command.id}`);
      const view = await client.get(command.id);
      if (view === null) {
        io.err(`no run ${command.id} (unknown or expired)`);
        return 1;
      }
      io.out(JSON.stringify(view, null, 2));
      return exitCodeOf(view);
    }
    const queued = await client.enqueue(command.clusters);
    if (!command.wait) {
      io.out(JSON.stringify(queued, null, 2));
      return 0;
    }
    io.err(`run ${queued.id}${queued.coalesced ? ' (joined the run already in progress)' : ''}: waiting`);
    const view = await waitForRun(client, queued.id, command.timeoutSeconds * 1000, io.pollMs ?? 1000);
    if (view === null) {
      io.err(`run ${queued.id} did not finish within ${command.timeoutSeconds} s`);
      return 3;
    }
    io.out(JSON.stringify(view, null, 2));
    return exitCodeOf(view);
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return err instanceof UsageError ? 2 : 1;
  } finally {
    await client.close();
  }
}

function exitCodeOf(view: ReconcileRunView): number {
  if (view.state === 'failed') return 1;
  if (view.state === 'completed' && (view.report?.totals.failedClusters ?? 0) > 0) return 1;
  return 0;
}

async function waitForRun(client: ReconcileClient, id: string, timeoutMs: number, pollMs: number): Promise<ReconcileRunView | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await client.get(id);
    if (view !== null && (view.state === 'completed' || view.state === 'failed')) return view;
    if (Date.now() + pollMs > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
