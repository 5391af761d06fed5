import { Etcd3 } from 'etcd3';
import { Registry } from 'prom-client';
import { parseKeyPrefix } from '@ecs-state/domain';
import { ClusterStateStore } from '@ecs-state/etcd-store';
import { describeOnDedicatedEtcd } from '@ecs-state/test-services';
import { StateView } from '@ecs-state/state-view';
import type { FastifyInstance } from 'fastify';
import { buildApiServer, projectApiRecord, type ApiView } from '../src';
import { task } from './support/records';

/**
 * Streams from a revision the view no longer holds must come from etcd; a compacted
 * one cannot, and the client is told so as the original service did. Uses its own
 * etcd, since compaction affects every user of a server.
 */
describeOnDedicatedEtcd('streams from an entityVersion out of range', (etcd) => {
  let client: Etcd3;
  let view: ApiView;
  let app: FastifyInstance;
  let compactedAt: number;
  let firstRevision: number;

  beforeAll(async () => {
    client = new Etcd3({ hosts: etcd().endpoint });
    const prefix = parseKeyPrefix('/range-test');
    if (!prefix.ok) throw new Error(prefix.message);
    const store = new ClusterStateStore({ client, prefix: prefix.value });
    const written = await store.upsert([task({ id: 'a1', version: 1 })]);
    firstRevision = written[0]!.revision;
    for (let v = 2; v <= 6; v++) await store.upsert([task({ id: 'a1', version: v })]);
    compactedAt = await store.currentRevision();
    await client.kv.compact({ revision: compactedAt, physical: true });
    await store.close();
    // The view starts after the compaction: its history holds nothing older.
    view = new StateView({ client, prefix: prefix.value, historySize: 100, probeIntervalMs: 100, project: projectApiRecord });
    await view.start();
    app = await buildApiServer({ view, metrics: new Registry() });
  });

  afterAll(async () => {
    await app?.close();
    await view?.stop();
    client?.close();
  });

  it('answers 400 "Entity version is out of range" for a compacted entityVersion', async () => {
    const res = await app.inject({ url: `/v1/stream/tasks?entityVersion=${firstRevision}` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Entity version is out of range');
  });

  it('answers 400 "Entity version is out of range" for an entityVersion in the future', async () => {
    const res = await app.inject({ url: `/v1/stream/tasks?entityVersion=${compactedAt + 1000}` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Entity version is out of range');
  });

  it('answers 400 "Invalid entity version" for one that is not a revision', async () => {
    const res = await app.inject({ url: '/v1/stream/tasks?entityVersion=abc' });
    expect([res.statusCode, res.body]).toEqual([400, 'Invalid entity version\n']);
  });
});
