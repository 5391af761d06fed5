export interface Column<R> {
  header: string;
  value(row: R): string;
  /** Width the column keeps even when the first rows are narrower (e.g. a 32-character id). */
  minWidth?: number;
  /**
   * Columns that may be cut to fit the terminal, narrowest allowed width. The rightmost
   * such column is cut first, down to `shrinkTo`, before the next one to its left is
   * touched: leftmost columns say most. Columns without it are never cut.
   */
  shrinkTo?: number;
}

const GAP = '  ';

/**
 * Prints rows as aligned columns within `width` characters. The widths come from the
 * first rows printed (a list's first page) and stay, so that rows printed later (more
 * pages, changes of a watch) line up under them; on a terminal a longer value is cut
 * with `…`.
 */
export class TablePrinter<R> {
  private widths: number[] | undefined;

  constructor(
    private readonly columns: readonly Column<R>[],
    /** Characters per line; Infinity for no limit. */
    private readonly width: number,
    private readonly print: (line: string) => void,
  ) {}

  /** Prints rows, and the header first if nothing was printed yet. */
  rows(rows: readonly R[]): void {
    const cells = rows.map((row) => this.columns.map((column) => column.value(row)));
    if (this.widths === undefined) {
      this.widths = this.fit(cells);
      this.print(this.line(this.columns.map((c) => c.header)));
    }
    for (const row of cells) this.print(this.line(row));
  }

  private fit(cells: readonly string[][]): number[] {
    const widths = this.columns.map((column, i) => Math.max(column.header.length, column.minWidth ?? 0, ...cells.map((row) => (row[i] ?? '').length)));
    let excess = widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1) - this.width;
    for (let i = this.columns.length - 1; i >= 0 && excess > 0; i--) {
      const column = this.columns[i] as Column<R>;
      if (column.shrinkTo === undefined) continue;
      const floor = Math.max(column.shrinkTo, column.header.length);
      const cut = Math.min(excess, Math.max(0, (widths[i] ?? 0) - floor));
      widths[i] = (widths[i] ?? 0) - cut;
      excess -= cut;
    }
    return widths;
  }

  private line(cells: readonly string[]): string {
    const widths = this.widths ?? [];
    return cells
      .map((cell, i) => {
        const width = widths[i] ?? cell.length;
        // Without a width limit (not a terminal) values stay whole, even if a later row is then out of line.
        const fitted = cell.length > width && Number.isFinite(this.width) ? `${cell.slice(0, Math.max(0, width - 1))}…` : cell;
        return i === cells.length - 1 ? fitted : fitted.padEnd(width);
      })
      .join(GAP)
      .trimEnd();
  }
}

/**
 * Characters per line of the output: the terminal's width, else `COLUMNS`, else no
 * limit (a pipe or a file gets whole values).
 */
export function outputWidth(terminalColumns: number | undefined, env: NodeJS.ProcessEnv): number {
  if (terminalColumns !== undefined && terminalColumns > 0) return terminalColumns;
  const columns = Number(env['COLUMNS']);
  return Number.isInteger(columns) && columns > 0 ? columns : Number.POSITIVE_INFINITY;
}
