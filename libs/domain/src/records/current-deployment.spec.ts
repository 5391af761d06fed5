import { currentDeployment } from '../index';

describe('currentDeployment', () => {
  it('is the PRIMARY deployment when it is listed first', () => {
    const primary = { id: 'ecs-svc/2', status: 'PRIMARY' };
    expect(currentDeployment([primary, { id: 'ecs-svc/1', status: 'ACTIVE' }])).toBe(primary);
  });

  it('is a deployment known only from its events when it is listed before the PRIMARY', () => {
    const eventOnly = { id: 'ecs-svc/3', rolloutState: 'IN_PROGRESS' };
    const deployments: { id: string; status?: string; rolloutState: string }[] = [eventOnly, { id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'COMPLETED' }];
    expect(currentDeployment(deployments)).toBe(eventOnly);
  });

  it('skips an ACTIVE deployment listed before the PRIMARY', () => {
    const primary = { id: 'ecs-svc/2', status: 'PRIMARY' };
    expect(currentDeployment([{ id: 'ecs-svc/1', status: 'ACTIVE' }, primary])).toBe(primary);
  });

  it('is none when no deployment is PRIMARY or known only from its events', () => {
    expect(currentDeployment([{ id: 'ecs-svc/1', status: 'ACTIVE' }, { id: 'ecs-svc/0', status: 'INACTIVE' }])).toBeUndefined();
    expect(currentDeployment([])).toBeUndefined();
  });
});
