import { ApiAnswerError, ApiStatusError, ApiUnreachableError } from './api-errors';
import { resolveApiTarget } from './api-target';
import { parseCommand, USAGE, type Command } from './args';
import { EXIT } from './exit-status';
import { progressPrinter } from './progress';
import { ReconcileApi } from './reconcile-api';
import { judgeRun } from './run-verdict';
import type { RunView } from './run-view';
import { UsageError } from './usage-error';
import { waitForRun } from './wait-for-run';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** Poll period while waiting for a run (default 1 s). */
  pollMs?: number;
  /** Longest wait for one answer of the API (default 30 s). */
  requestTimeoutMs?: number;
}

/** Runs one command; resolves with the exit status (see ./exit-status.ts). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  let api: ReconcileApi | undefined;
  try {
    command = parseCommand(argv);
    if (command.name !== 'help') api = new ReconcileApi(resolveApiTarget(command.api, io.env), io.requestTimeoutMs ?? 30_000);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`ecs-state: ${err.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (command.name === 'help' || api === undefined) {
    io.out(USAGE);
    return EXIT.ok;
  }
  try {
    return command.name === 'status' ? await status(api, command.id, io) : await reconcile(api, command, io);
  } catch (err) {
    io.err(`ecs-state: ${err instanceof Error ? err.message : String(err)}`);
    return exitStatusOf(err);
  }
}

async function status(api: ReconcileApi, id: string, io: CliIo): Promise<number> {
  const view = await api.getRun(id);
  if (view === null) {
    io.err(`ecs-state: no run ${id} (unknown or expired)`);
    return EXIT.runFailed;
  }
  io.out(JSON.stringify(view, null, 2));
  return report(view, view.requestedClusters, io);
}

async function reconcile(api: ReconcileApi, command: Extract<Command, { name: 'reconcile' }>, io: CliIo): Promise<number> {
  const requested = await api.requestRun(command.clusters);
  if (!command.wait) {
    io.out(JSON.stringify(requested, null, 2));
    return EXIT.ok;
  }
  io.err(`run ${requested.id}: requested${requested.coalesced ? ' (joined the run of the same clusters already in progress)' : ''}`);
  const view = await waitForRun(api, requested.id, { timeoutMs: command.timeoutSeconds * 1000, pollMs: io.pollMs ?? 1000, onView: progressPrinter(io.err) });
  if (view === null) {
    io.err(`ecs-state: run ${requested.id} did not finish within ${command.timeoutSeconds} s; it goes on: follow it with \`ecs-state status ${requested.id}\``);
    return EXIT.timedOut;
  }
  io.out(JSON.stringify(view, null, 2));
  // A joined run may cover more clusters than asked for: judge what this command asked.
  return report(view, command.clusters.length === 0 ? null : command.clusters, io);
}

function report(view: RunView, requested: readonly string[] | null, io: CliIo): number {
  const verdict = judgeRun(view, requested);
  for (const problem of verdict.problems) io.err(`ecs-state: ${problem}`);
  return verdict.exitStatus;
}

function exitStatusOf(err: unknown): number {
  if (err instanceof ApiStatusError) return err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403 ? EXIT.usage : EXIT.api;
  if (err instanceof ApiUnreachableError || err instanceof ApiAnswerError) return EXIT.api;
  // RunVanishedError, and anything unforeseen.
  return EXIT.runFailed;
}
