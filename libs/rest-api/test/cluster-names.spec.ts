import type { StateRecord } from '@ecs-state/domain';
import { task } from './support/records';
import { startHarness, type Harness } from './support/api-harness';

/** The sample task moved to another account and region, keeping its cluster name. */
function elsewhere(id: string, cluster: string): StateRecord {
  const base = task({ id, cluster });
  if (base.kind !== 'task') throw new Error('expected a task');
  return {
    kind: 'task',
    record: {
      ...base.record,
      clusterArn: `arn:aws:ecs:eu-west-1:444455556666:cluster/${cluster}`,
      taskArn: `arn:aws:ecs:eu-west-1:444455556666:task/${cluster}/${id}`,
    },
  };
}

describe('listing by bare cluster name', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('cluster-names');
  });
  afterAll(() => h.close());

  const ids = async (url: string) =>
    ((await h.app.inject({ url })).json() as { items: { entity: { taskARN: string } }[] }).items.map((i) => i.entity.taskARN).sort();

  it('covers every account and region that has a cluster of that name, also once a second one appears', async () => {
    await h.put(task({ id: 'a1', cluster: 'shared' }), task({ id: 'a2', cluster: 'shared' }), task({ id: 'b1', cluster: 'other' }));
    expect(await ids('/v1/tasks?cluster=shared')).toEqual([
      'arn:aws:ecs:us-west-2:111122223333:task/shared/a1',
      'arn:aws:ecs:us-west-2:111122223333:task/shared/a2',
    ]);
    await h.put(elsewhere('c1', 'shared'));
    expect(await ids('/v1/tasks?cluster=shared')).toEqual([
      'arn:aws:ecs:eu-west-1:444455556666:task/shared/c1',
      'arn:aws:ecs:us-west-2:111122223333:task/shared/a1',
      'arn:aws:ecs:us-west-2:111122223333:task/shared/a2',
    ]);
    expect(await ids(`/v1/tasks?cluster=${encodeURIComponent('arn:aws:ecs:eu-west-1:444455556666:cluster/shared')}`)).toEqual([
      'arn:aws:ecs:eu-west-1:444455556666:task/shared/c1',
    ]);
    expect(await ids('/v1/tasks?cluster=nowhere')).toEqual([]);
  });

  it('pages through one named cluster without visiting the others', async () => {
    const many = Array.from({ length: 25 }, (_, i) => task({ id: `p${String(i).padStart(2, '0')}`, cluster: 'paged' }));
    await h.put(...many, task({ id: 'z1', cluster: 'zzz' }));
    const seen: string[] = [];
    let url = '/v1/tasks?cluster=paged&limit=10';
    for (;;) {
      const page = (await h.app.inject({ url })).json() as { items: { entity: { taskARN: string } }[]; nextToken?: string };
      seen.push(...page.items.map((i) => i.entity.taskARN.split('/').pop() ?? ''));
      if (!page.nextToken) break;
      url = `/v1/tasks?cluster=paged&limit=10&nextToken=${encodeURIComponent(page.nextToken)}`;
    }
    expect(seen).toEqual(many.map((m) => (m.record as { taskArn: string }).taskArn.split('/').pop()));
  });
});
