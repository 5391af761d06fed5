import {
  allServicesPrefix,
  clusterServicesPrefix,
  clusterServicesScan,
  scopeServicesPrefix,
  serviceKey,
  allInstancesPrefix,
  allTasksPrefix,
  clusterInstancesPrefix,
  clusterInstancesScan,
  clusterTasksPrefix,
  clusterTasksScan,
  DEFAULT_KEY_PREFIX,
  instanceKey,
  keyForRecord,
  normalizeStateRecord,
  parseClusterRef,
  parseKey,
  parseKeyPrefix,
  scopeInstancesPrefix,
  scopeTasksPrefix,
  taskKey,
} from '../index';
import type { ClusterRef, KeyPrefix, StateRecord } from '../index';
import { CONTAINER_INSTANCE_SAMPLE, FARGATE_TASK_SAMPLE, loadReferenceEvent } from '@ecs-state/test-support';

const ACCOUNT = '111122223333';
const TASK_ID = 'c13b4cb40f1f4fe4a2971f76ae5a47ad';
const INSTANCE_ID = 'b54a2a04-046f-4331-9d74-3f6d7f6ca315';
const CLUSTER = `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/FargateCluster`;

function unwrap<T>(result: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.message}`);
  return result.value;
}

function sampleState(name: string, kind: 'task' | 'instance'): StateRecord {
  return unwrap(normalizeStateRecord(kind, loadReferenceEvent(name).envelope.detail));
}

describe('key prefix', () => {
  it.each(['/ecs-state', '/a', '/team_1/ecs-state/v2'])('accepts %j', (prefix) => {
    expect(parseKeyPrefix(prefix)).toEqual({ ok: true, value: prefix });
  });

  it.each([
    ['no leading slash', 'ecs-state', 'must start with "/"'],
    ['a trailing slash', '/ecs-state/', 'must not end with "/"'],
    ['only a slash', '/', 'must not end with "/"'],
    ['an empty segment', '/a//b', 'has segment ""'],
    ['a dot-dot segment', '/a/../b', 'has segment ".."'],
    ['a dot segment', '/a/./b', 'has segment "."'],
    ['a percent escape', '/a%2Fb', 'has segment "a%2Fb"'],
    ['unicode', '/\u00e9tat', 'has segment'],
    ['whitespace', '/a b', 'has segment "a b"'],
    ['a NUL byte', '/a\u0000', 'has segment'],
    ['over 128 characters', `/${'a'.repeat(128)}`, 'longer than 128'],
  ])('rejects %s', (_label, prefix, message) => {
    const result = parseKeyPrefix(prefix);
    expect(result).toMatchObject({ ok: false, reason: 'invalid_key_prefix' });
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('defaults to /ecs-state', () => {
    expect(DEFAULT_KEY_PREFIX).toBe('/ecs-state');
  });
});

describe('record keys', () => {
  it('places the published samples', () => {
    expect(keyForRecord(DEFAULT_KEY_PREFIX, sampleState(FARGATE_TASK_SAMPLE, 'task'))).toEqual({
      ok: true,
      value: `/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/FargateCluster/${TASK_ID}`,
    });
    expect(keyForRecord(DEFAULT_KEY_PREFIX, sampleState(CONTAINER_INSTANCE_SAMPLE, 'instance'))).toEqual({
      ok: true,
      value: `/ecs-state/instances/aws/us-east-1/${ACCOUNT}/default/${INSTANCE_ID}`,
    });
  });

  it('maps old- and new-format ARNs of one task to one key', () => {
    const oldFormat = unwrap(taskKey(DEFAULT_KEY_PREFIX, { taskArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:task/${TASK_ID}`, clusterArn: CLUSTER }));
    const newFormat = unwrap(taskKey(DEFAULT_KEY_PREFIX, { taskArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:task/FargateCluster/${TASK_ID}`, clusterArn: CLUSTER }));
    expect(oldFormat).toBe(newFormat);
  });

  it('maps old- and new-format ARNs of one container instance to one key', () => {
    const clusterArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/default`;
    const oldFormat = unwrap(instanceKey(DEFAULT_KEY_PREFIX, { containerInstanceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:container-instance/${INSTANCE_ID}`, clusterArn }));
    const newFormat = unwrap(
      instanceKey(DEFAULT_KEY_PREFIX, { containerInstanceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:container-instance/default/${INSTANCE_ID}`, clusterArn }),
    );
    expect(oldFormat).toBe(newFormat);
  });

  it('gives the same task id in different clusters, regions, accounts or partitions different keys', () => {
    const keys = [
      ['aws', 'us-west-2', ACCOUNT, 'a'],
      ['aws', 'us-west-2', ACCOUNT, 'b'],
      ['aws', 'us-east-1', ACCOUNT, 'a'],
      ['aws', 'us-west-2', '999988887777', 'a'],
      ['aws-cn', 'us-west-2', ACCOUNT, 'a'],
    ].map(([partition, region, account, cluster]) =>
      unwrap(
        taskKey(DEFAULT_KEY_PREFIX, {
          taskArn: `arn:${partition}:ecs:${region}:${account}:task/${TASK_ID}`,
          clusterArn: `arn:${partition}:ecs:${region}:${account}:cluster/${cluster}`,
        }),
      ),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps tasks and instances apart even with equal ids', () => {
    const clusterArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/default`;
    const task = unwrap(taskKey(DEFAULT_KEY_PREFIX, { taskArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task/${INSTANCE_ID}`, clusterArn }));
    const instance = unwrap(instanceKey(DEFAULT_KEY_PREFIX, { containerInstanceArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:container-instance/${INSTANCE_ID}`, clusterArn }));
    expect(task).not.toBe(instance);
    expect(task.startsWith(allTasksPrefix(DEFAULT_KEY_PREFIX))).toBe(true);
    expect(instance.startsWith(allInstancesPrefix(DEFAULT_KEY_PREFIX))).toBe(true);
  });

  it('uses a configured prefix', () => {
    const prefix = unwrap(parseKeyPrefix('/prod/ecs'));
    expect(unwrap(keyForRecord(prefix, sampleState(FARGATE_TASK_SAMPLE, 'task')))).toBe(`/prod/ecs/tasks/aws/us-west-2/${ACCOUNT}/FargateCluster/${TASK_ID}`);
  });
});

describe('keys cannot escape or collide', () => {
  const hostile = [
    `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/../../etc`,
    `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/a/b`,
    `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/..`,
    `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/a%2F..`,
    `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/\u2215etc`,
    `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/caf\u00e9`,
    `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/${'a'.repeat(256)}`,
    `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/a\u0000b`,
    `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/`,
    `arn:aws:ecs:us-west-2/x:${ACCOUNT}:cluster/a`,
    `arn:aws/..:ecs:us-west-2:${ACCOUNT}:cluster/a`,
  ];

  it.each(hostile.map((arn) => [arn.slice(0, 80), arn]))('refuses cluster ARN %j for keys and prefixes', (_label, clusterArn) => {
    expect(taskKey(DEFAULT_KEY_PREFIX, { taskArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:task/${TASK_ID}`, clusterArn })).toMatchObject({ ok: false, reason: 'invalid_arn' });
    expect(clusterTasksPrefix(DEFAULT_KEY_PREFIX, clusterArn)).toMatchObject({ ok: false, reason: 'invalid_arn' });
    expect(clusterInstancesPrefix(DEFAULT_KEY_PREFIX, clusterArn)).toMatchObject({ ok: false, reason: 'invalid_arn' });
    expect(parseClusterRef(clusterArn).ok).toBe(false);
  });

  it.each([
    ['a traversal in the task id', `arn:aws:ecs:us-west-2:${ACCOUNT}:task/FargateCluster/..`],
    ['an extra segment', `arn:aws:ecs:us-west-2:${ACCOUNT}:task/FargateCluster/x/${TASK_ID}`],
    ['a percent escape', `arn:aws:ecs:us-west-2:${ACCOUNT}:task/FargateCluster/%2e%2e`],
    ['unicode', `arn:aws:ecs:us-west-2:${ACCOUNT}:task/FargateCluster/t\u00e2che`],
    ['an over-long id', `arn:aws:ecs:us-west-2:${ACCOUNT}:task/FargateCluster/${'a'.repeat(129)}`],
  ])('refuses a task ARN with %s', (_label, taskArn) => {
    expect(taskKey(DEFAULT_KEY_PREFIX, { taskArn, clusterArn: CLUSTER })).toMatchObject({ ok: false, reason: 'invalid_arn' });
  });

  it('refuses a task whose ARN contradicts its cluster rather than filing it elsewhere', () => {
    expect(taskKey(DEFAULT_KEY_PREFIX, { taskArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:task/Other/${TASK_ID}`, clusterArn: CLUSTER })).toMatchObject({
      ok: false,
      reason: 'arn_mismatch',
    });
  });

  it('refuses hostile cluster names as references', () => {
    for (const name of ['../x', 'a/b', '%2F', '..', '\u00e9', 'a'.repeat(256), '']) {
      expect(parseClusterRef(name).ok).toBe(false);
    }
  });

  it('makes a hand-built reference match nothing instead of widening the scan', () => {
    const forged = { kind: 'name', clusterName: '../' } as ClusterRef;
    const scan = clusterTasksScan(DEFAULT_KEY_PREFIX, forged);
    expect(scan.prefix.startsWith(allTasksPrefix(DEFAULT_KEY_PREFIX))).toBe(true);
    expect(scan.matches(`/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/FargateCluster/${TASK_ID}`)).toBe(false);
  });
});

describe('cluster prefixes and scans', () => {
  const taskIn = (cluster: string, account = ACCOUNT, region = 'us-west-2'): string =>
    unwrap(taskKey(DEFAULT_KEY_PREFIX, { taskArn: `arn:aws:ecs:${region}:${account}:task/${TASK_ID}`, clusterArn: `arn:aws:ecs:${region}:${account}:cluster/${cluster}` }));

  it('ends a cluster prefix with "/" so foo does not cover foobar', () => {
    const fooPrefix = unwrap(clusterTasksPrefix(DEFAULT_KEY_PREFIX, `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/foo`));
    expect(fooPrefix).toBe(`/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/foo/`);
    expect(taskIn('foo').startsWith(fooPrefix)).toBe(true);
    expect(taskIn('foobar').startsWith(fooPrefix)).toBe(false);
  });

  it('gives instances their own cluster prefix', () => {
    expect(unwrap(clusterInstancesPrefix(DEFAULT_KEY_PREFIX, `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/default`))).toBe(
      `/ecs-state/instances/aws/us-east-1/${ACCOUNT}/default/`,
    );
  });

  it('scans an ARN reference by its exact prefix', () => {
    const scan = clusterTasksScan(DEFAULT_KEY_PREFIX, unwrap(parseClusterRef(`arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/foo`)));
    expect(scan.prefix).toBe(`/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/foo/`);
    expect(scan.matches(taskIn('foo'))).toBe(true);
    expect(scan.matches(taskIn('foobar'))).toBe(false);
    expect(scan.matches(taskIn('foo', '999988887777'))).toBe(false);
  });

  it('scans a name reference across accounts and regions, filtering by name', () => {
    const scan = clusterTasksScan(DEFAULT_KEY_PREFIX, unwrap(parseClusterRef('foo')));
    expect(scan.prefix).toBe('/ecs-state/tasks/');
    expect(scan.matches(taskIn('foo'))).toBe(true);
    expect(scan.matches(taskIn('foo', '999988887777', 'eu-west-1'))).toBe(true);
    expect(scan.matches(taskIn('foobar'))).toBe(false);
    expect(scan.matches(`/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/foo/${TASK_ID}/extra`)).toBe(false);
  });

  it('scans instances separately from tasks', () => {
    const scan = clusterInstancesScan(DEFAULT_KEY_PREFIX, unwrap(parseClusterRef('foo')));
    expect(scan.prefix).toBe('/ecs-state/instances/');
    expect(scan.matches(taskIn('foo'))).toBe(false);
    expect(scan.matches(`/ecs-state/instances/aws/us-west-2/${ACCOUNT}/foo/${INSTANCE_ID}`)).toBe(true);
  });
});

describe('scope prefixes', () => {
  const taskAt = (partition: string, region: string, account: string): string =>
    unwrap(taskKey(DEFAULT_KEY_PREFIX, { taskArn: `arn:${partition}:ecs:${region}:${account}:task/${TASK_ID}`, clusterArn: `arn:${partition}:ecs:${region}:${account}:cluster/web` }));

  it('covers every cluster of one partition, region and account, and nothing else', () => {
    const scope = { partition: 'aws', region: 'us-east-1', account: ACCOUNT } as const;
    const tasks = unwrap(scopeTasksPrefix(DEFAULT_KEY_PREFIX, scope));
    expect(tasks).toBe(`/ecs-state/tasks/aws/us-east-1/${ACCOUNT}/`);
    expect(unwrap(scopeInstancesPrefix(DEFAULT_KEY_PREFIX, scope))).toBe(`/ecs-state/instances/aws/us-east-1/${ACCOUNT}/`);
    expect(taskAt('aws', 'us-east-1', ACCOUNT).startsWith(tasks)).toBe(true);
    for (const other of [taskAt('aws', 'us-east-2', ACCOUNT), taskAt('aws', 'us-east-1', '999988887777'), taskAt('aws-cn', 'us-east-1', ACCOUNT)]) {
      expect(other.startsWith(tasks)).toBe(false);
    }
  });

  it.each([
    ['a bad partition', { partition: 'aws/..', region: 'us-east-1', account: ACCOUNT }],
    ['a region with a separator', { partition: 'aws', region: 'us-east-1/x', account: ACCOUNT }],
    ['an empty account', { partition: 'aws', region: 'us-east-1', account: '' }],
  ])('refuses a scope with %s rather than widening the range', (_label, scope) => {
    expect(scopeTasksPrefix(DEFAULT_KEY_PREFIX, scope as never)).toMatchObject({ ok: false, reason: 'invalid_arn' });
    expect(scopeInstancesPrefix(DEFAULT_KEY_PREFIX, scope as never)).toMatchObject({ ok: false, reason: 'invalid_arn' });
  });
});

describe('service keys', () => {
  const SERVICE_ARN = `arn:aws:ecs:us-west-2:${ACCOUNT}:service/shop/web`;
  const SHOP = `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/shop`;

  it('files a service under its cluster by name, old- and new-format ARNs alike', () => {
    const key = unwrap(serviceKey(DEFAULT_KEY_PREFIX, { serviceArn: SERVICE_ARN, clusterArn: SHOP }));
    expect(key).toBe(`/ecs-state/services/aws/us-west-2/${ACCOUNT}/shop/web`);
    expect(unwrap(serviceKey(DEFAULT_KEY_PREFIX, { serviceArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:service/web`, clusterArn: SHOP }))).toBe(key);
    expect(parseKey(DEFAULT_KEY_PREFIX, key)).toEqual({ kind: 'service', partition: 'aws', region: 'us-west-2', account: ACCOUNT, clusterName: 'shop', clusterArn: SHOP, serviceName: 'web' });
  });

  it('refuses a service ARN of another cluster or account rather than filing it elsewhere', () => {
    expect(serviceKey(DEFAULT_KEY_PREFIX, { serviceArn: SERVICE_ARN, clusterArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/other` })).toMatchObject({ ok: false, reason: 'arn_mismatch' });
    expect(serviceKey(DEFAULT_KEY_PREFIX, { serviceArn: SERVICE_ARN.replace(ACCOUNT, '999988887777'), clusterArn: SHOP })).toMatchObject({ ok: false, reason: 'arn_mismatch' });
    expect(serviceKey(DEFAULT_KEY_PREFIX, { serviceArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:service/shop/../web`, clusterArn: SHOP })).toMatchObject({ ok: false, reason: 'invalid_arn' });
  });

  it('has prefixes and scans of its own', () => {
    expect(allServicesPrefix(DEFAULT_KEY_PREFIX)).toBe('/ecs-state/services/');
    expect(unwrap(clusterServicesPrefix(DEFAULT_KEY_PREFIX, SHOP))).toBe(`/ecs-state/services/aws/us-west-2/${ACCOUNT}/shop/`);
    expect(unwrap(scopeServicesPrefix(DEFAULT_KEY_PREFIX, { partition: 'aws', region: 'us-west-2', account: ACCOUNT }))).toBe(`/ecs-state/services/aws/us-west-2/${ACCOUNT}/`);
    const scan = clusterServicesScan(DEFAULT_KEY_PREFIX, unwrap(parseClusterRef('shop')));
    expect(scan.prefix).toBe('/ecs-state/services/');
    expect(scan.matches(`/ecs-state/services/aws/us-west-2/${ACCOUNT}/shop/web`)).toBe(true);
    expect(scan.matches(`/ecs-state/services/aws/us-west-2/${ACCOUNT}/shopping/web`)).toBe(false);
    expect(scan.matches(`/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/shop/${TASK_ID}`)).toBe(false);
  });
});

describe('parseKey', () => {
  it('inverts keyForRecord', () => {
    const key = unwrap(keyForRecord(DEFAULT_KEY_PREFIX, sampleState(FARGATE_TASK_SAMPLE, 'task')));
    expect(parseKey(DEFAULT_KEY_PREFIX, key)).toEqual({
      kind: 'task',
      partition: 'aws',
      region: 'us-west-2',
      account: ACCOUNT,
      clusterName: 'FargateCluster',
      clusterArn: CLUSTER,
      taskId: TASK_ID,
    });
    const instance = unwrap(keyForRecord(DEFAULT_KEY_PREFIX, sampleState(CONTAINER_INSTANCE_SAMPLE, 'instance')));
    expect(parseKey(DEFAULT_KEY_PREFIX, instance)).toMatchObject({ kind: 'instance', clusterName: 'default', containerInstanceId: INSTANCE_ID });
  });

  it.each([
    ['another prefix', `/other/tasks/aws/us-west-2/${ACCOUNT}/c/${TASK_ID}`],
    ['a prefix that only starts the same', `/ecs-statex/tasks/aws/us-west-2/${ACCOUNT}/c/${TASK_ID}`],
    ['an unknown kind', `/ecs-state/taskdefs/aws/us-west-2/${ACCOUNT}/c/${TASK_ID}`],
    ['a service name over 255 characters', `/ecs-state/services/aws/us-west-2/${ACCOUNT}/c/${'s'.repeat(256)}`],
    ['too few segments', `/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/c`],
    ['too many segments', `/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/c/${TASK_ID}/x`],
    ['a trailing slash', `/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/c/${TASK_ID}/`],
    ['a bad partition', `/ecs-state/tasks/aws-x/us-west-2/${ACCOUNT}/c/${TASK_ID}`],
    ['a bad account', `/ecs-state/tasks/aws/us-west-2/1/c/${TASK_ID}`],
    ['a traversal', `/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/../${TASK_ID}`],
    ['a cluster prefix', `/ecs-state/tasks/aws/us-west-2/${ACCOUNT}/c/`],
  ])('returns null for %s', (_label, key) => {
    expect(parseKey(DEFAULT_KEY_PREFIX, key)).toBeNull();
  });

  it('works under a nested prefix', () => {
    const prefix = unwrap(parseKeyPrefix('/a/b')) as KeyPrefix;
    const key = unwrap(taskKey(prefix, { taskArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:task/${TASK_ID}`, clusterArn: CLUSTER }));
    expect(parseKey(prefix, key)).toMatchObject({ kind: 'task', taskId: TASK_ID });
    expect(parseKey(DEFAULT_KEY_PREFIX, key)).toBeNull();
  });
});
