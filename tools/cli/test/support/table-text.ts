/**
 * Reads a table as printed: the header's column names (separated by two spaces or more)
 * give where each column starts, and every row is cut at those places. A row that is not
 * aligned under its header comes out wrong.
 */
export function readTable(text: string): { headers: string[]; rows: Record<string, string>[] } {
  const [header = '', ...lines] = text.split('\n').filter((line) => line !== '');
  const columns = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index ?? 0 }));
  const rows = lines.map((line) =>
    Object.fromEntries(
      columns.map((column, i) => {
        const end = columns[i + 1]?.start ?? line.length;
        const cell = line.slice(column.start, end);
        // A cell begins exactly at its column: the character before it is a space (or the line's start).
        if (column.start > 0 && line[column.start - 1] !== ' ' && line.length > column.start) throw new Error(`misaligned row: ${line}`);
        return [column.name, cell.trim()];
      }),
    ),
  );
  return { headers: columns.map((c) => c.name), rows };
}
