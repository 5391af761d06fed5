import { canonicalJson } from '@ecs-state/domain';
import { sampleInstance, sampleTask } from './sample-records';

describe('sample records', () => {
  it('derives valid records from the samples with the requested identity', () => {
    const task = sampleTask({ id: 'abc123', cluster: 'web', version: 7, lastStatus: 'STOPPED' });
    expect(task.kind).toBe('task');
    expect(task.record).toMatchObject({
      taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/web/abc123',
      clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/web',
      version: 7,
      lastStatus: 'STOPPED',
    });
    const instance = sampleInstance({ id: 'i-1', cluster: 'web' });
    expect(instance.record).toMatchObject({ containerInstanceArn: 'arn:aws:ecs:us-east-1:111122223333:container-instance/i-1', status: 'ACTIVE' });
    expect(canonicalJson(sampleTask({ id: 'x' }))).toBe(canonicalJson(sampleTask({ id: 'x' })));
  });
});
