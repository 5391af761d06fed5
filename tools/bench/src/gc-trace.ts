/** One line of Node's `--trace-gc` output. */
export interface GcEvent {
  /** Milliseconds since the process started. */
  readonly atMs: number;
  readonly kind: string;
  readonly pauseMs: number;
}

export interface GcSummary {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
  /** Pauses of 1 ms or more, and of 5 ms or more. */
  readonly over1Ms: number;
  readonly over5Ms: number;
  /** count and summed pause per kind (Scavenge, Mark-Compact, …). */
  readonly byKind: Readonly<Record<string, { count: number; totalMs: number; maxMs: number }>>;
}

// [pid:0x…]    12345 ms: Scavenge 100.1 (120.2) -> 99.0 (121.2) MB, 1.23 / 0.00 ms  (average mu = …) allocation failure;
const LINE = /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: ([A-Za-z-]+(?: \(reduce\))?)[^,]*, ([\d.]+) \/ [\d.]+ ms/;

export function parseGcTrace(text: string): GcEvent[] {
  const events: GcEvent[] = [];
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (match) events.push({ atMs: Number(match[1]), kind: match[2] as string, pauseMs: Number(match[3]) });
  }
  return events;
}

export function summarizeGc(events: readonly GcEvent[]): GcSummary {
  const byKind: Record<string, { count: number; totalMs: number; maxMs: number }> = {};
  let totalMs = 0;
  let maxMs = 0;
  for (const e of events) {
    totalMs += e.pauseMs;
    maxMs = Math.max(maxMs, e.pauseMs);
    const kind = (byKind[e.kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    kind.count++;
    kind.totalMs += e.pauseMs;
    kind.maxMs = Math.max(kind.maxMs, e.pauseMs);
  }
  return {
    count: events.length,
    totalMs,
    maxMs,
    over1Ms: events.filter((e) => e.pauseMs >= 1).length,
    over5Ms: events.filter((e) => e.pauseMs >= 5).length,
    byKind,
  };
}
