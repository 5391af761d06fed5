/** How much of a run was done at a moment, in seconds from its start. */
export interface Progress {
  readonly seconds: number;
  readonly done: number;
}

/**
 * Items per second while the run went from `from` to `to` of `total` done,
 * each moment interpolated between the samples around it: the rate the run
 * sustains, without its start (JIT compilation, connections opening, workers
 * starting) or its drain (fewer items left than workers). Undefined when the
 * samples do not reach both marks or do not span time between them.
 */
export function sustainedRate(progress: readonly Progress[], total: number, from = 0.1, to = 0.9): number | undefined {
  const start = momentDone(progress, from * total);
  const end = momentDone(progress, to * total);
  if (start === undefined || end === undefined || end <= start) return undefined;
  return ((to - from) * total) / (end - start);
}

function momentDone(progress: readonly Progress[], target: number): number | undefined {
  for (let i = 0; i < progress.length; i++) {
    const sample = progress[i] as Progress;
    if (sample.done < target) continue;
    const before = progress[i - 1];
    if (before === undefined || sample.done === before.done) return sample.seconds;
    return before.seconds + ((target - before.done) / (sample.done - before.done)) * (sample.seconds - before.seconds);
  }
  return undefined;
}
