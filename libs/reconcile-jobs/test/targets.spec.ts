import { eventually } from '@ecs-state/test-support';
import { Job, Queue } from 'bullmq';
import { createReconcileClient, QUEUE_NAMES, startReconcileWorker, type ReconcileClient, type ReconcileRunView } from '../src';
import { okReport, quietLogger, redisUrl, uniquePrefix } from './support';

// One cluster name in two targets (accounts and regions) of one reconciler.
const A_WEB = 'arn:aws:ecs:us-east-1:111111111111:cluster/web';
const B_WEB = 'arn:aws:ecs:eu-west-1:222222222222:cluster/web';

function finished(client: ReconcileClient, id: string): Promise<ReconcileRunView> {
  return eventually(`run ${id} to finish`, async () => {
    const view = await client.get(id);
    return view !== null && (view.state === 'completed' || view.state === 'failed') ? view : null;
  }, { timeoutMs: 20_000 });
}

describe('runs over several targets', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });

  it('keeps runs of different targets apart, and names the target of every job and report', async () => {
    const prefix = uniquePrefix();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const worker = startReconcileWorker({
      connection: redisUrl(),
      prefix,
      concurrency: 2,
      clusterAttempts: 1,
      logger: quietLogger,
      planClusters: async (requested) => (requested === null ? [A_WEB, B_WEB] : requested),
      reconcileCluster: async (cluster) => {
        await held;
        if (cluster === B_WEB) throw new Error('AccessDenied');
        return { ...okReport(cluster), target: 'aws/us-east-1/111111111111' };
      },
    });
    open.push(worker);
    const client = createReconcileClient({ connection: redisUrl(), prefix });
    open.push(client);
    const clusters = new Queue(QUEUE_NAMES.clusters, { connection: { url: redisUrl() }, prefix });
    open.push(clusters);

    // Lists of ARNs of different targets are different scopes: neither joins the other's run.
    const onlyA = await client.enqueue([A_WEB]);
    const onlyB = await client.enqueue([B_WEB]);
    const againA = await client.enqueue([A_WEB]);
    release();
    expect([onlyA.coalesced, onlyB.coalesced, againA.coalesced]).toEqual([false, false, true]);
    expect(onlyB.id).not.toBe(onlyA.id);
    expect(againA.id).toBe(onlyA.id);
    await Promise.all([finished(client, onlyA.id), finished(client, onlyB.id)]);

    const all = await client.enqueue();
    const view = await finished(client, all.id);
    const children = await Promise.all([Job.fromId(clusters, `${all.id}.0`), Job.fromId(clusters, `${all.id}.1`)]);
    expect(children.map((j) => j?.data)).toEqual([
      { runId: all.id, cluster: B_WEB, target: 'aws/eu-west-1/222222222222' },
      { runId: all.id, cluster: A_WEB, target: 'aws/us-east-1/111111111111' },
    ]);
    expect(view.report?.clusters.map((c) => [c.cluster, c.target, c.outcome])).toEqual([
      [B_WEB, 'aws/eu-west-1/222222222222', 'failed'],
      [A_WEB, 'aws/us-east-1/111111111111', 'reconciled'],
    ]);
    expect(view.report?.targets?.map((t) => [t.target, t.clusters, t.failedClusters])).toEqual([
      ['aws/eu-west-1/222222222222', 1, 1],
      ['aws/us-east-1/111111111111', 1, 0],
    ]);
  });
});
