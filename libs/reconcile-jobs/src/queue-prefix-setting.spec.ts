import { reconcileQueuePrefixSetting } from './queue-prefix-setting';

describe('reconcileQueuePrefixSetting', () => {
  it('defaults to the queues the reconciler works on, and takes a prefix of letters, digits, dots, hyphens or underscores', () => {
    expect(reconcileQueuePrefixSetting.parse(undefined)).toBe('ecs-state');
    expect(reconcileQueuePrefixSetting.parse('prod_ecs-state.v2')).toBe('prod_ecs-state.v2');
  });

  it.each(['ecs:state', 'ecs state', '', 'x'.repeat(65)])('refuses %j', (value) => {
    expect(reconcileQueuePrefixSetting.safeParse(value).success).toBe(false);
  });
});
