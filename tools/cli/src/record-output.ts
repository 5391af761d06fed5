import { recordColumns, type RecordRow } from './record-columns';
import type { RecordItem } from './record-item';
import type { ResourceKind } from './resource-kind';
import { TablePrinter } from './table';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'ndjson'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Where `get` puts what it reads: the list a page at a time, then a watch's changes. */
export interface RecordOutput {
  listed(items: readonly RecordItem[]): void;
  /** The list is over; `revision` is the one every page reflected. */
  listEnded(revision: string, count: number): void;
  changed(row: RecordRow): void;
}

export interface OutputOptions {
  kind: ResourceKind;
  format: OutputFormat;
  watch: boolean;
  width: number;
  now: () => number;
  out(text: string): void;
  err(text: string): void;
}

export function createRecordOutput(options: OutputOptions): RecordOutput {
  switch (options.format) {
    case 'table':
    case 'wide':
      return tableOutput(options);
    case 'json':
      return jsonOutput(options);
    case 'ndjson':
      return {
        listed: (items) => items.forEach((item) => options.out(JSON.stringify(item))),
        listEnded: () => undefined,
        // Tombstones say so themselves (`metadata.deleted`).
        changed: (row) => options.out(JSON.stringify(row.item)),
      };
  }
}

function tableOutput(options: OutputOptions): RecordOutput {
  const table = new TablePrinter(recordColumns(options.kind, { now: options.now, wide: options.format === 'wide', watch: options.watch }), options.width, options.out);
  let printed = false;
  return {
    listed(items) {
      if (items.length === 0) return;
      table.rows(items.map((item) => ({ item, event: '' })));
      printed = true;
    },
    listEnded(_revision, count) {
      if (count > 0) return;
      options.err(`no ${options.kind} found`);
      // A watch still shows the columns its changes will fill.
      if (options.watch && !printed) table.rows([]);
    },
    changed: (row) => table.rows([row]),
  };
}

/** The API's list body (`{ "items": […], "revision": "…" }`), written as pages arrive; a watch's changes follow, one object each. */
function jsonOutput(options: OutputOptions): RecordOutput {
  let pending: RecordItem | undefined;
  const indented = (item: RecordItem) => JSON.stringify(item, null, 2).replace(/^/gm, '    ');
  return {
    listed(items) {
      for (const item of items) {
        if (pending === undefined) options.out('{\n  "items": [');
        else options.out(`${indented(pending)},`);
        pending = item;
      }
    },
    listEnded(revision) {
      if (pending === undefined) options.out('{\n  "items": [');
      else options.out(indented(pending));
      options.out(`  ],\n  "revision": ${JSON.stringify(revision)}\n}`);
    },
    changed: (row) => options.out(JSON.stringify(row.item, null, 2)),
  };
}
