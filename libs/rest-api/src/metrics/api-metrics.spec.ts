import type { ViewStatus } from '@ecs-state/state-view';
import { Registry } from 'prom-client';
import { STREAM_END_REASONS } from '../streams/stream-session';
import { API_METRICS, registerApiMetrics, VIEW_METRICS } from './api-metrics';

const STATUS: ViewStatus = {
  started: true,
  revision: 7,
  tasks: 0,
  instances: 0,
  services: 0,
  historySize: 0,
  historyCompleteAfter: 0,
  subscribers: 0,
  etcdReachable: true,
  stalenessMs: 0,
  inSync: true,
  resyncs: 0,
  lastEventAt: undefined,
};

async function values(registry: Registry, name: string): Promise<Array<{ labels: Record<string, string | number | undefined>; value: number }>> {
  return ((await registry.getSingleMetric(name)?.get())?.values ?? []).map(({ labels, value }) => ({ labels: { ...labels }, value }));
}

describe('registerApiMetrics', () => {
  it('exports the reloads of the view as a counter that follows its running count', async () => {
    const registry = new Registry();
    let status = STATUS;
    registerApiMetrics(registry, { status: () => status }, { streamClients: () => 0, listBodies: () => 0 });
    expect((await registry.getSingleMetric(VIEW_METRICS.resyncs)?.get())?.type).toBe('counter');
    expect(await values(registry, VIEW_METRICS.resyncs)).toEqual([{ labels: {}, value: 0 }]);
    status = { ...STATUS, resyncs: 2 };
    expect(await values(registry, VIEW_METRICS.resyncs)).toEqual([{ labels: {}, value: 2 }]);
    expect(await values(registry, VIEW_METRICS.resyncs)).toEqual([{ labels: {}, value: 2 }]);
  });

  it('exports every reason a stream ends for at 0 before the first one ends', async () => {
    const registry = new Registry();
    registerApiMetrics(registry, { status: () => STATUS }, { streamClients: () => 0, listBodies: () => 0 });
    expect(await values(registry, API_METRICS.streamsEnded)).toEqual(STREAM_END_REASONS.map((reason) => ({ labels: { reason }, value: 0 })));
    expect(STREAM_END_REASONS).toEqual(expect.arrayContaining(['client_closed', 'slow_client', 'server_shutdown', 'view_resync', 'view_stopped']));
  });
});
