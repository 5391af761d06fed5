import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

interface HeapNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

export interface ProfileEntry {
  /** `function (file:line)`, file without its directories. */
  readonly name: string;
  /** Self time in ms (CPU profile) or bytes allocated (heap profile). */
  readonly amount: number;
  /** Share of the whole profile. */
  readonly share: number;
}

function frameName(frame: CallFrame): string {
  const file = frame.url === '' ? '' : ` (${frame.url.slice(frame.url.lastIndexOf('/') + 1)}:${frame.lineNumber + 1})`;
  return `${frame.functionName === '' ? '(anonymous)' : frame.functionName}${file}`;
}

function top(amounts: Map<string, number>, count: number): ProfileEntry[] {
  let total = 0;
  for (const amount of amounts.values()) total += amount;
  return [...amounts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, amount]) => ({ name, amount, share: total === 0 ? 0 : amount / total }));
}

/** The functions with the most self time in a `--cpu-prof` profile (each sample counts its time delta). */
export function topSelfTime(profile: CpuProfile, count = 15): { totalMs: number; entries: ProfileEntry[] } {
  const names = new Map(profile.nodes.map((n) => [n.id, frameName(n.callFrame)]));
  const amounts = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const name = names.get(id) ?? '(unknown)';
    amounts.set(name, (amounts.get(name) ?? 0) + ms);
  });
  return { totalMs, entries: top(amounts, count) };
}

/** The functions that allocated the most in a `--heap-prof` sampling profile (bytes still sampled at its end). */
export function topAllocations(profile: { readonly head: HeapNode }, count = 15): { totalBytes: number; entries: ProfileEntry[] } {
  const amounts = new Map<string, number>();
  let totalBytes = 0;
  const visit = (node: HeapNode) => {
    if (node.selfSize > 0) {
      const name = frameName(node.callFrame);
      amounts.set(name, (amounts.get(name) ?? 0) + node.selfSize);
      totalBytes += node.selfSize;
    }
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  return { totalBytes, entries: top(amounts, count) };
}

/** The one file with `extension` that a profiled process wrote into `dir`. */
export function readProfile<T>(dir: string, extension: string): T {
  const file = readdirSync(dir).find((f) => f.endsWith(extension));
  if (file === undefined) throw new Error(`no ${extension} file in ${dir}: did the process exit normally?`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
}
