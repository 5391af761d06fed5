import type { LoadResult } from './api-http-load';
import { ms } from './api-latency-stats';
import type { MachineInfo } from './api-machine';
import type { DeliveryResult } from './api-stream-delivery';

export interface ApiBenchResult {
  readonly date: string;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly dataset: { readonly tasks: number; readonly clusters: number; readonly instances: number; readonly stoppedShare: number; readonly storeSeconds: number };
  readonly apiStartSeconds: number;
  readonly concurrency: number;
  readonly get: { readonly api: LoadResult; readonly etcd: LoadResult };
  readonly list: { readonly api: LoadResult; readonly etcd: LoadResult; readonly etcdPaged: LoadResult };
  readonly stream: DeliveryResult & { readonly etcdWatchersBeforeApi: number; readonly etcdWatchers: number; readonly streamClientsSeen: number };
  readonly memory: { readonly loadedMiB: number; readonly afterReadsMiB: number; readonly withClientsMiB: number; readonly afterStreamMiB: number; readonly peakMiB: number };
}

const met = (ok: boolean) => (ok ? 'met' : '**not met**');

function row(name: string, r: LoadResult): string {
  return `| ${name} | ${r.count} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${Math.round(r.requestsPerSecond)} | ${r.failures} |`;
}

export function targetsOf(r: ApiBenchResult): { name: string; ok: boolean; detail: string }[] {
  const getRatio = r.get.etcd.p99 / r.get.api.p99;
  const listRatio = r.list.etcd.p99 / r.list.api.p99;
  const pagedRatio = r.list.etcdPaged.p99 / r.list.api.p99;
  return [
    { name: 'get p99 >= 10x faster than etcd per request', ok: getRatio >= 10, detail: `${getRatio.toFixed(1)}x` },
    { name: 'list p99 >= 10x faster than etcd per request (whole cluster range, the original)', ok: listRatio >= 10, detail: `${listRatio.toFixed(1)}x (paged etcd reads: ${pagedRatio.toFixed(1)}x)` },
    { name: 'get p99 <= 2 ms', ok: r.get.api.p99 <= 2, detail: `${ms(r.get.api.p99)} ms` },
    { name: 'list page of 100 p99 <= 10 ms', ok: r.list.api.p99 <= 10, detail: `${ms(r.list.api.p99)} ms` },
    // From the write (etcd's commit, when the change exists and the watch can carry it) to the client.
    {
      name: `stream delivery p99 <= 100 ms at ${r.stream.clients} clients (etcd commit -> client)`,
      ok: r.stream.afterCommit.p99 <= 100 && r.stream.missing === 0,
      detail: `${ms(r.stream.afterCommit.p99)} ms, ${r.stream.missing} missing (from the Put being issued: ${ms(r.stream.p99)} ms, of which etcd's answer alone ${ms(r.stream.etcdPut.p99)} ms)`,
    },
    { name: '1 etcd watch for all stream clients', ok: r.stream.etcdWatchers - r.stream.etcdWatchersBeforeApi === 1, detail: `${r.stream.etcdWatchers - r.stream.etcdWatchersBeforeApi} watcher(s)` },
  ];
}

export function markdownReport(r: ApiBenchResult): string {
  const m = r.machine;
  return [
    `Run ${r.date}: \`${r.command}\``,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, etcd ${m.etcd}, open files limit ${m.openFilesLimit}.`,
    `Data: ${r.dataset.tasks} tasks in ${r.dataset.clusters} clusters (${Math.round(r.dataset.stoppedShare * 100)} % STOPPED) and ${r.dataset.instances} instances, written in ${r.dataset.storeSeconds.toFixed(1)} s; the api loaded them and listened after ${r.apiStartSeconds.toFixed(1)} s.`,
    '',
    `Reads, ${r.concurrency} keep-alive connections, latency in ms:`,
    '',
    '| request | n | p50 | p99 | max | req/s | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('get by ARN, api', r.get.api),
    row('get by ARN, etcd per request', r.get.etcd),
    row('list page of 100 (cluster + status), api', r.list.api),
    row('same list, etcd per request: whole cluster range (original)', r.list.etcd),
    row('same list, etcd per request: pages of 500 keys', r.list.etcdPaged),
    '',
    `Streams: ${r.stream.clients} clients of /v1/stream/tasks, ${r.stream.writes} task writes at ${r.stream.writeRatePerSecond.toFixed(1)}/s, ` +
      `${r.stream.count} deliveries (${r.stream.missing} missing). etcd's answer to the Put -> line received: p50 ${ms(r.stream.afterCommit.p50)} ms, ` +
      `p99 ${ms(r.stream.afterCommit.p99)} ms, max ${ms(r.stream.afterCommit.max)} ms. Put issued -> line received: p50 ${ms(r.stream.p50)} ms, p99 ${ms(r.stream.p99)} ms, ` +
      `max ${ms(r.stream.max)} ms, of which etcd's answer to the Put: p50 ${ms(r.stream.etcdPut.p50)} ms, p99 ${ms(r.stream.etcdPut.p99)} ms, max ${ms(r.stream.etcdPut.max)} ms. ` +
      `etcd watchers: ${r.stream.etcdWatchersBeforeApi} before the api started, ${r.stream.etcdWatchers} with ${r.stream.streamClientsSeen} stream clients open.`,
    '',
    `api memory (RSS): ${r.memory.loadedMiB.toFixed(0)} MiB loaded, ${r.memory.afterReadsMiB.toFixed(0)} MiB after the read runs, ${r.memory.withClientsMiB.toFixed(0)} MiB with the stream clients, ${r.memory.afterStreamMiB.toFixed(0)} MiB after the stream run, peak ${r.memory.peakMiB.toFixed(0)} MiB.`,
    '',
    '| target | result | |',
    '| --- | --- | --- |',
    ...targetsOf(r).map((t) => `| ${t.name} | ${t.detail} | ${met(t.ok)} |`),
  ].join('\n');
}
