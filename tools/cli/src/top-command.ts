import type { CliIo } from './cli-io';
import { clusterNameOf, idOf, textOf } from './entity-fields';
import { EXIT } from './exit-status';
import type { Entity } from './record-item';
import { resourceUse, shareText, useText, type ResourceUse } from './resource-usage';
import type { Selection } from './selection';
import type { StateApi } from './state-api';
import { outputWidth, TablePrinter } from './table';

export interface TopCommand {
  name: 'top';
  selection: Selection;
}

interface InstanceUse {
  entity: Entity;
  cpu: ResourceUse | undefined;
  memory: ResourceUse | undefined;
  /** The larger of the two shares: how full the instance is for placement. */
  share: number;
}

/**
 * `top instances`: CPU and memory reserved on each container instance (registered minus
 * remaining), fullest first. Every matching instance is read before anything is printed.
 */
export async function topCommand(api: StateApi, command: TopCommand, io: CliIo): Promise<number> {
  const uses: InstanceUse[] = [];
  for await (const page of api.pages('instances', command.selection.query, io.signal)) {
    for (const { entity } of page.items) {
      const cpu = resourceUse(entity, 'CPU');
      const memory = resourceUse(entity, 'MEMORY');
      uses.push({ entity, cpu, memory, share: Math.max(cpu?.share ?? 0, memory?.share ?? 0) });
    }
  }
  if (uses.length === 0) {
    io.err('no instances found');
    return EXIT.ok;
  }
  uses.sort(
    (a, b) =>
      b.share - a.share ||
      (b.cpu?.share ?? 0) - (a.cpu?.share ?? 0) ||
      (textOf(a.entity, 'containerInstanceARN') ?? '').localeCompare(textOf(b.entity, 'containerInstanceARN') ?? ''),
  );
  const table = new TablePrinter<InstanceUse>(
    [
      { header: 'CLUSTER', value: (u) => clusterNameOf(u.entity) ?? '-', shrinkTo: 10 },
      { header: 'INSTANCE', value: (u) => idOf(textOf(u.entity, 'containerInstanceARN')) ?? '-' },
      { header: 'STATUS', value: (u) => textOf(u.entity, 'status') ?? '-' },
      { header: 'TASKS', value: (u) => (typeof u.entity['runningTasksCount'] === 'number' ? String(u.entity['runningTasksCount']) : '-') },
      { header: 'CPU(units)', value: (u) => useText(u.cpu) },
      { header: 'CPU%', value: (u) => shareText(u.cpu) },
      { header: 'MEMORY(MiB)', value: (u) => useText(u.memory) },
      { header: 'MEMORY%', value: (u) => shareText(u.memory) },
    ],
    outputWidth(io.columns, io.env),
    io.out,
  );
  table.rows(uses);
  return EXIT.ok;
}
