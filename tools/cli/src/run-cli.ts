import { ApiAnswerError, ApiStatusError, ApiUnreachableError } from './api-errors';
import { ApiHttp } from './api-http';
import { resolveApiTarget } from './api-target';
import { parseCommand, USAGE, type Command, type ParsedCommand } from './args';
import type { CliIo } from './cli-io';
import { describeCommand } from './describe-command';
import { EXIT } from './exit-status';
import { getCommand } from './get-command';
import { progressPrinter } from './progress';
import { ReconcileApi } from './reconcile-api';
import { StateApi, StreamEndedError } from './state-api';
import { topCommand } from './top-command';
import { judgeRun } from './run-verdict';
import type { RunView } from './run-view';
import { UsageError } from './usage-error';
import { waitForRun } from './wait-for-run';
import { WatchLostError } from './watch-changes';

export type { CliIo } from './cli-io';

/** Runs one command; resolves with the exit status (see ./exit-status.ts). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ParsedCommand;
  let http: ApiHttp | undefined;
  try {
    parsed = parseCommand(argv);
    if (parsed.name !== 'help') http = new ApiHttp(resolveApiTarget(parsed.api, io.env), io.requestTimeoutMs ?? 30_000);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`ecs-state: ${err.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.name === 'help' || http === undefined) {
    io.out(USAGE);
    return EXIT.ok;
  }
  try {
    return await run(parsed, http, io);
  } catch (err) {
    if (io.signal?.aborted) return EXIT.ok;
    io.err(`ecs-state: ${err instanceof Error ? err.message : String(err)}`);
    return exitStatusOf(err);
  }
}

function run(command: Command, http: ApiHttp, io: CliIo): Promise<number> {
  switch (command.name) {
    case 'reconcile':
      return reconcile(new ReconcileApi(http), command, io);
    case 'status':
      return status(new ReconcileApi(http), command.id, io);
    case 'get':
      return getCommand(new StateApi(http, io.pageSize), command, io);
    case 'describe':
      return describeCommand(new StateApi(http, io.pageSize), command, io);
    case 'top':
      return topCommand(new StateApi(http, io.pageSize), command, io);
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
  // A usage error found once the API has answered (an id that names several records).
  if (err instanceof UsageError) return EXIT.usage;
  if (err instanceof ApiStatusError) return err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403 ? EXIT.usage : EXIT.api;
  if (err instanceof ApiUnreachableError || err instanceof ApiAnswerError || err instanceof StreamEndedError || err instanceof WatchLostError) return EXIT.api;
  // RunVanishedError, and anything unforeseen.
  return EXIT.runFailed;
}
