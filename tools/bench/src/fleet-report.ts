import type { LoadResult } from './api-http-load';
import { ms } from './api-latency-stats';
import type { FloorRead } from './fleet-floor';
import type { GcSummary } from './gc-trace';
import type { ProfileEntry } from './v8-profile-summary';
import { markdownTable } from './shared/markdown-table';

export interface FleetSizeResult {
  readonly tasks: number;
  readonly instances: number;
  readonly clusters: number;
  readonly buildSeconds: number;
  readonly fillSeconds: number;
  readonly floor: FloorRead;
  readonly floors: readonly FloorRead[];
  readonly apiListenSeconds: number;
  readonly apiReadySeconds: number;
  readonly rssMiB: number;
  readonly peakMiB: number;
  /** The api's GC during its load, from --trace-gc. */
  readonly loadGc: GcSummary;
  readonly get: { readonly api: LoadResult; readonly etcd: LoadResult; readonly apiGc: GcSummary };
  readonly list: { readonly api: LoadResult; readonly etcdPaged: LoadResult; readonly apiGc: GcSummary };
  readonly pinned: boolean;
  /** Node.js flags of the load generators. */
  readonly clientNodeArgs: readonly string[];
  readonly profile?: { readonly kind: 'cpu' | 'heap'; readonly total: number; readonly entries: readonly ProfileEntry[] };
}

export interface FleetBenchResult {
  readonly date: string;
  readonly command: string;
  readonly machine: string;
  readonly sizes: readonly FleetSizeResult[];
}

export const TARGETS = { readyOverFloor: 3, rssMiBAt500k: 1536, readSpeedup: 10 } as const;

const mib = (bytes: number) => bytes / 2 ** 20;
const x = (value: number) => `${value.toFixed(1)}×`;
const gcLine = (gc: GcSummary) => `${gc.count} (≥1 ms: ${gc.over1Ms}, max ${ms(gc.maxMs)} ms, Σ ${ms(gc.totalMs)} ms)`;
const clientLine = (r: LoadResult) =>
  r.client === undefined ? '–' : `loop delay p99 ${ms(r.client.loopDelayP99Ms)} / max ${ms(r.client.loopDelayMaxMs)} ms; ${r.client.gcPauses} GCs, max ${ms(r.client.gcPauseMaxMs)} ms`;

export function readyRatio(s: FleetSizeResult): number {
  return s.apiReadySeconds / s.floor.seconds;
}

export function getSpeedup(s: FleetSizeResult): number {
  return s.get.etcd.p99 / s.get.api.p99;
}

export function listSpeedup(s: FleetSizeResult): number {
  return s.list.etcdPaged.p99 / s.list.api.p99;
}

export function fleetTargets(result: FleetBenchResult): { name: string; value: string; ok: boolean }[] {
  const targets: { name: string; value: string; ok: boolean }[] = [];
  for (const s of result.sizes) {
    const n = s.tasks.toLocaleString('en-US');
    targets.push({ name: `${n}: ready ≤ ${TARGETS.readyOverFloor}× the floor`, value: `${x(readyRatio(s))} (${s.apiReadySeconds.toFixed(1)} s / ${s.floor.seconds.toFixed(2)} s)`, ok: readyRatio(s) <= TARGETS.readyOverFloor });
    if (s.tasks >= 500_000) targets.push({ name: `${n}: RSS ≤ 1.5 GiB`, value: `${s.rssMiB.toFixed(0)} MiB (peak ${s.peakMiB.toFixed(0)})`, ok: s.rssMiB <= TARGETS.rssMiBAt500k });
    targets.push({ name: `${n}: get p99 ≥ ${TARGETS.readSpeedup}× etcd per request`, value: `${x(getSpeedup(s))} (${ms(s.get.api.p99)} vs ${ms(s.get.etcd.p99)} ms)`, ok: getSpeedup(s) >= TARGETS.readSpeedup });
    targets.push({ name: `${n}: list page p99 ≥ ${TARGETS.readSpeedup}× paged etcd reads`, value: `${x(listSpeedup(s))} (${ms(s.list.api.p99)} vs ${ms(s.list.etcdPaged.p99)} ms)`, ok: listSpeedup(s) >= TARGETS.readSpeedup });
  }
  return targets;
}

export function fleetReport(result: FleetBenchResult): string {
  const sizes = result.sizes;
  const col = (f: (s: FleetSizeResult) => string) => sizes.map(f);
  const lines: string[] = [`Date: ${result.date}. Command: \`${result.command}\`. Machine: ${result.machine}.`, ''];
  lines.push(
    markdownTable(
      ['', ...col((s) => `${s.tasks.toLocaleString('en-US')} tasks, ${s.instances.toLocaleString('en-US')} instances`)],
      [
        ['stored keys + values', ...col((s) => `${mib(s.floor.keyBytes + s.floor.valueBytes).toFixed(0)} MiB (values ${mib(s.floor.valueBytes).toFixed(0)} MiB)`)],
        ['fill with `ClusterStateStore.upsert` (batches of 1,000, 4 in flight)', ...col((s) => `${s.fillSeconds.toFixed(1)} s (${Math.round((s.tasks + s.instances) / s.fillSeconds).toLocaleString('en-US')} records/s)`)],
        ['floor: bare etcd3 client reads every key, nothing decoded', ...col((s) => s.floors.map((f) => `${f.seconds.toFixed(2)} s (pages of ${f.pageSize})`).join(', '))],
        ['api listening (from spawn)', ...col((s) => `${s.apiListenSeconds.toFixed(1)} s`)],
        ['api `/readyz` 200 (from spawn)', ...col((s) => `${s.apiReadySeconds.toFixed(1)} s = ${x(readyRatio(s))} the floor`)],
        ['api GC during its load (`--trace-gc`)', ...col((s) => gcLine(s.loadGc))],
        ['api RSS once ready / peak (VmHWM)', ...col((s) => `${s.rssMiB.toFixed(0)} / ${s.peakMiB.toFixed(0)} MiB`)],
        ['RSS ÷ stored keys + values', ...col((s) => x((s.rssMiB * 2 ** 20) / (s.floor.keyBytes + s.floor.valueBytes)))],
        ['get, api p50 / p99 / max', ...col((s) => `${ms(s.get.api.p50)} / ${ms(s.get.api.p99)} / ${ms(s.get.api.max)} ms`)],
        ['get, etcd per request p50 / p99', ...col((s) => `${ms(s.get.etcd.p50)} / ${ms(s.get.etcd.p99)} ms`)],
        ['get p99 speed-up', ...col((s) => x(getSpeedup(s)))],
        ['list page of 100, api p50 / p99 / max', ...col((s) => `${ms(s.list.api.p50)} / ${ms(s.list.api.p99)} / ${ms(s.list.api.max)} ms`)],
        ['same list, paged etcd reads p50 / p99', ...col((s) => `${ms(s.list.etcdPaged.p50)} / ${ms(s.list.etcdPaged.p99)} ms`)],
        ['list p99 speed-up', ...col((s) => x(listSpeedup(s)))],
        ['api GC while serving gets', ...col((s) => gcLine(s.get.apiGc))],
        ['api GC while serving lists', ...col((s) => gcLine(s.list.apiGc))],
        ['load generator, gets', ...col((s) => clientLine(s.get.api))],
        ['load generator, lists', ...col((s) => clientLine(s.list.api))],
        ['api pinned to its own core for the reads', ...col((s) => (s.pinned ? 'yes' : 'no'))],
        ['load generator Node.js flags', ...col((s) => (s.clientNodeArgs.length === 0 ? 'none' : `\`${s.clientNodeArgs.join(' ')}\``))],
      ],
    ),
  );
  lines.push('', markdownTable(['target', 'result', ''], fleetTargets(result).map((t) => [t.name, t.value, t.ok ? 'met' : '**missed**'])));
  for (const s of sizes) {
    if (s.profile === undefined) continue;
    const unit = s.profile.kind === 'cpu' ? 'ms self time' : 'MiB allocated (sampled)';
    const amount = (v: number) => (s.profile?.kind === 'cpu' ? v.toFixed(0) : mib(v).toFixed(1));
    lines.push('', `Where the api's load goes at ${s.tasks.toLocaleString('en-US')} tasks (\`--${s.profile.kind}-prof\`, whole process from start to ready; ${amount(s.profile.total)} ${unit} in all):`, '');
    lines.push(markdownTable(['function', unit, 'share'], s.profile.entries.map((e) => [`\`${e.name}\``, amount(e.amount), `${(e.share * 100).toFixed(1)} %`])));
  }
  return lines.join('\n');
}
