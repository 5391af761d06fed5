import { INSTANCE_STATUSES, isInstanceStatus, isTaskStatus, TASK_STATUSES } from '../index';

describe('statuses', () => {
  it('knows the task lifecycle', () => {
    expect(TASK_STATUSES).toEqual(
      expect.arrayContaining(['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED']),
    );
    expect(isTaskStatus('RUNNING')).toBe(true);
    expect(isTaskStatus('running')).toBe(false);
    expect(isTaskStatus('ACTIVE')).toBe(false);
  });

  it('knows container instance statuses', () => {
    expect(INSTANCE_STATUSES).toEqual(
      expect.arrayContaining(['ACTIVE', 'INACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED']),
    );
    expect(isInstanceStatus('DRAINING')).toBe(true);
    expect(isInstanceStatus('RUNNING')).toBe(false);
  });
});
