import { parseGcTrace, summarizeGc } from './gc-trace';

const TRACE = [
  '{"level":"info","message":"api listening"}',
  '[17965:0x3cd9de40]       99 ms: Scavenge 3.9 (4.0) -> 3.7 (5.0) MB, 7.36 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
  '[17965:0x3cd9de40]     1200 ms: Mark-Compact 310.2 (330.0) -> 290.1 (320.5) MB, 0.42 / 0.10 ms  (+ 40.1 ms in 120 steps since start of marking, biggest step 2.1 ms, walltime since start of marking 900 ms) (average mu = 0.9) finalize incremental marking via task; GC in old space requested',
  '[17965:0x3cd9de40]     1300 ms: Mark-Compact (reduce) 290.0 (320.0) -> 280.0 (300.0) MB, 12.50 / 0.00 ms  (average mu = 0.8) memory pressure',
].join('\n');

describe('--trace-gc lines', () => {
  it('are parsed with their time and pause, other lines ignored', () => {
    expect(parseGcTrace(TRACE)).toEqual([
      { atMs: 99, kind: 'Scavenge', pauseMs: 7.36 },
      { atMs: 1200, kind: 'Mark-Compact', pauseMs: 0.42 },
      { atMs: 1300, kind: 'Mark-Compact (reduce)', pauseMs: 12.5 },
    ]);
  });

  it('are summarised by count, total, longest and kind', () => {
    const summary = summarizeGc(parseGcTrace(TRACE));
    expect(summary).toMatchObject({ count: 3, maxMs: 12.5, over1Ms: 2, over5Ms: 2 });
    expect(summary.totalMs).toBeCloseTo(20.28, 5);
    expect(summary.byKind['Scavenge']).toEqual({ count: 1, totalMs: 7.36, maxMs: 7.36 });
  });
});
