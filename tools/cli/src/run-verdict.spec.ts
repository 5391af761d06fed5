import { judgeRun } from './run-verdict';
import type { ClusterReport, RunView } from './run-view';

const ARN = 'arn:aws:ecs:us-east-1:000000000000:cluster';
const none = { added: 0, updated: 0, deleted: 0, unchanged: 0 };

function cluster(name: string, outcome: ClusterReport['outcome'], tasks = none, errors: string[] = []): ClusterReport {
  return { cluster: `${ARN}/${name}`, outcome, tasks, instances: none, errors };
}

function run(state: RunView['state'], clusters: ClusterReport[] | null, requestedClusters: string[] | null, error: string | null = null): RunView {
  const report = clusters === null ? null : { clusters, totals: { clusters: clusters.length, failedClusters: clusters.filter((c) => c.outcome === 'failed').length } };
  return { id: 'r', state, requestedClusters, plannedClusters: clusters?.length ?? null, report, error };
}

describe('judgeRun', () => {
  it('fails a run that failed, with its reason', () => {
    expect(judgeRun(run('failed', null, null, 'ECS ListClusters: AccessDenied'))).toEqual({ exitStatus: 1, problems: ['run r failed: ECS ListClusters: AccessDenied'] });
  });

  it('passes a run still queued or running', () => {
    expect(judgeRun(run('queued', null, ['ghost']))).toEqual({ exitStatus: 0, problems: [] });
    expect(judgeRun(run('running', [], ['ghost']))).toEqual({ exitStatus: 0, problems: [] });
  });

  it('names failed clusters with their errors', () => {
    expect(judgeRun(run('completed', [cluster('a', 'reconciled'), cluster('b', 'failed', none, ['throttled', 'again'])], null))).toEqual({
      exitStatus: 1,
      problems: [`cluster ${ARN}/b failed: throttled; again`],
    });
  });

  it('matches requested names and ARNs against the clusters of the report', () => {
    const removedWithRecords = cluster('old', 'removed', { ...none, deleted: 3 });
    // Known by its services alone: the store held nothing else of it.
    const removedWithServices = { ...cluster('shop', 'removed'), services: { ...none, deleted: 2 } };
    const view = run(
      'completed',
      [cluster('web', 'reconciled'), removedWithRecords, removedWithServices, cluster('phantom', 'removed')],
      ['web', `${ARN}/old`, `${ARN}/shop`, 'ghost', `${ARN}/phantom`, `arn:aws:ecs:eu-west-1:000000000000:cluster/web`],
    );
    expect(judgeRun(view).problems).toEqual([
      'cluster ghost is not known to ECS or the store',
      `cluster ${ARN}/phantom is not known to ECS or the store`,
      'cluster arn:aws:ecs:eu-west-1:000000000000:cluster/web is not known to ECS or the store',
    ]);
  });

  it('judges what the caller asked for when its request joined a run of every cluster', () => {
    const everyCluster = run('completed', [cluster('web', 'reconciled')], null);
    expect(judgeRun(everyCluster).exitStatus).toBe(0);
    expect(judgeRun(everyCluster, ['ghost']).problems).toEqual(['cluster ghost is not known to ECS or the store']);
  });
});
