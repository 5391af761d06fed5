import type { CliIo } from './cli-io';
import { EXIT } from './exit-status';
import { createRecordOutput, type OutputFormat } from './record-output';
import { RESOURCE_ROUTES } from './resource-kind';
import type { Selection } from './selection';
import type { StateApi } from './state-api';
import { outputWidth } from './table';
import { watchChanges } from './watch-changes';

export interface GetCommand {
  name: 'get';
  selection: Selection;
  output: OutputFormat;
  watch: boolean;
}

/** `get tasks|instances`: the list, page by page as it arrives; with --watch, then every change from its revision. */
export async function getCommand(api: StateApi, command: GetCommand, io: CliIo): Promise<number> {
  const { selection } = command;
  const signal = io.signal ?? new AbortController().signal;
  const output = createRecordOutput({
    kind: selection.kind,
    format: command.output,
    watch: command.watch,
    width: outputWidth(io.columns, io.env),
    now: io.now ?? Date.now,
    out: io.out,
    err: io.err,
  });
  const arnField = RESOURCE_ROUTES[selection.kind].arnField;
  const listed = new Set<string>();
  let revision: string | undefined;
  let count = 0;
  for await (const page of api.pages(selection.kind, selection.query, signal)) {
    revision ??= page.revision;
    output.listed(page.items);
    count += page.items.length;
    if (command.watch) {
      for (const item of page.items) {
        const arn = item.entity[arnField];
        if (typeof arn === 'string') listed.add(arn);
      }
    }
  }
  // The generator yields at least one page, or throws.
  const listRevision = revision as string;
  output.listEnded(listRevision, count);
  if (!command.watch) return EXIT.ok;
  await watchChanges(api, {
    selection,
    listed,
    afterRevision: listRevision,
    signal,
    reconnectMs: io.reconnectMs ?? 30_000,
    retryMs: io.retryMs ?? 1000,
    onChange: (row) => output.changed(row),
    notice: (text) => io.err(`ecs-state: ${text}`),
  });
  return EXIT.ok;
}

