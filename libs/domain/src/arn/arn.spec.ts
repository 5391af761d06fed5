import {
  clusterNameFromArn,
  clusterRefMatches,
  formatClusterArn,
  formatContainerInstanceArn,
  formatTaskArn,
  formatTaskDefinitionArn,
  parseClusterArn,
  parseClusterRef,
  parseContainerInstanceArn,
  parseTaskArn,
  parseTaskDefinitionArn,
  PARTITIONS,
  resolveContainerInstanceIdentity,
  resolveTaskIdentity,
} from '../index';
import type { ClusterArn } from '../index';

const REGION_BY_PARTITION: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-iso': 'us-iso-east-1',
  'aws-iso-b': 'us-isob-east-1',
  'aws-iso-e': 'eu-isoe-west-1',
  'aws-iso-f': 'us-isof-south-1',
};

const ACCOUNT = '111122223333';
const TASK_ID = 'c13b4cb40f1f4fe4a2971f76ae5a47ad';
const INSTANCE_ID = 'b54a2a04-046f-4331-9d74-3f6d7f6ca315';

function unwrap<T>(result: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.message}`);
  return result.value;
}

describe('cluster ARNs', () => {
  it.each(PARTITIONS.map((partition) => [partition]))('parses a cluster ARN in partition %s', (partition) => {
    const region = REGION_BY_PARTITION[partition] ?? '';
    const arn = `arn:${partition}:ecs:${region}:${ACCOUNT}:cluster/my_cluster-1`;
    expect(parseClusterArn(arn)).toEqual({
      ok: true,
      value: { kind: 'cluster', arn, partition, region, account: ACCOUNT, clusterName: 'my_cluster-1' },
    });
    expect(unwrap(formatClusterArn({ partition, region, account: ACCOUNT, clusterName: 'my_cluster-1' }))).toBe(arn);
    expect(clusterNameFromArn(arn)).toEqual({ ok: true, value: 'my_cluster-1' });
  });

  it('accepts a 255-character name and rejects 256', () => {
    const long = 'a'.repeat(255);
    expect(parseClusterArn(`arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${long}`).ok).toBe(true);
    const tooLong = parseClusterArn(`arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${long}a`);
    expect(tooLong).toMatchObject({ ok: false, reason: 'invalid_arn' });
  });

  it.each([
    ['empty string', '', 'is not of the form'],
    ['not an ARN', 'default', 'is not of the form'],
    ['unknown partition', `arn:aws-moon:ecs:us-east-1:${ACCOUNT}:cluster/default`, 'unknown partition "aws-moon"'],
    ['other service', `arn:aws:ec2:us-east-1:${ACCOUNT}:cluster/default`, 'has service "ec2"'],
    ['bad region', `arn:aws:ecs:US-EAST-1:${ACCOUNT}:cluster/default`, 'invalid region "US-EAST-1"'],
    ['empty region', `arn:aws:ecs::${ACCOUNT}:cluster/default`, 'invalid region ""'],
    ['short account', 'arn:aws:ecs:us-east-1:11112222333:cluster/default', 'invalid account "11112222333"'],
    ['letters in account', 'arn:aws:ecs:us-east-1:11112222333a:cluster/default', 'invalid account'],
    ['task resource', `arn:aws:ecs:us-east-1:${ACCOUNT}:task/default`, 'expected cluster/<name>'],
    ['slash in name', `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/a/b`, 'invalid cluster name "a/b"'],
    ['dot-dot name', `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/..`, 'invalid cluster name ".."'],
    ['percent name', `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/a%2Fb`, 'invalid cluster name'],
    ['unicode name', `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/caf\u00e9`, 'invalid cluster name'],
    ['empty name', `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/`, 'invalid cluster name ""'],
    ['newline name', `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/a\nb`, 'invalid cluster name'],
    ['huge input', `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${'a'.repeat(5000)}`, 'longer than'],
  ])('rejects %s', (_label, arn, message) => {
    const result = parseClusterArn(arn);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('invalid_arn');
      expect(result.message).toContain(message);
      expect(result.message.length).toBeLessThan(400);
    }
  });
});

describe('task ARNs', () => {
  it.each(PARTITIONS.map((partition) => [partition]))('parses old and new formats in partition %s', (partition) => {
    const region = REGION_BY_PARTITION[partition] ?? '';
    const oldArn = `arn:${partition}:ecs:${region}:${ACCOUNT}:task/${TASK_ID}`;
    const newArn = `arn:${partition}:ecs:${region}:${ACCOUNT}:task/FargateCluster/${TASK_ID}`;
    expect(unwrap(parseTaskArn(oldArn))).toEqual({ kind: 'task', arn: oldArn, partition, region, account: ACCOUNT, format: 'old', taskId: TASK_ID });
    expect(unwrap(parseTaskArn(newArn))).toEqual({
      kind: 'task',
      arn: newArn,
      partition,
      region,
      account: ACCOUNT,
      format: 'new',
      clusterName: 'FargateCluster',
      taskId: TASK_ID,
    });
    expect(unwrap(formatTaskArn({ partition, region, account: ACCOUNT, taskId: TASK_ID }))).toBe(oldArn);
    expect(unwrap(formatTaskArn({ partition, region, account: ACCOUNT, clusterName: 'FargateCluster', taskId: TASK_ID }))).toBe(newArn);
  });

  it.each([
    ['too many segments', `arn:aws:ecs:us-east-1:${ACCOUNT}:task/a/b/${TASK_ID}`, 'too many path segments'],
    ['empty id', `arn:aws:ecs:us-east-1:${ACCOUNT}:task/`, 'invalid id ""'],
    ['empty id in new format', `arn:aws:ecs:us-east-1:${ACCOUNT}:task/c/`, 'invalid id ""'],
    ['dot-dot cluster', `arn:aws:ecs:us-east-1:${ACCOUNT}:task/../${TASK_ID}`, 'invalid cluster name ".."'],
    ['dot-dot id', `arn:aws:ecs:us-east-1:${ACCOUNT}:task/c/..`, 'invalid id ".."'],
    ['container instance resource', `arn:aws:ecs:us-east-1:${ACCOUNT}:container-instance/${INSTANCE_ID}`, 'expected task/<id>'],
  ])('rejects %s', (_label, arn, message) => {
    const result = parseTaskArn(arn);
    expect(result).toMatchObject({ ok: false, reason: 'invalid_arn' });
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('refuses to build an ARN whose id would smuggle in a cluster segment', () => {
    const result = formatTaskArn({ partition: 'aws', region: 'us-east-1', account: ACCOUNT, taskId: `evil/${TASK_ID}` });
    expect(result).toMatchObject({ ok: false, reason: 'invalid_arn' });
    expect(formatTaskArn({ partition: 'aws', region: 'us-east-1', account: ACCOUNT, clusterName: 'a/b', taskId: TASK_ID })).toMatchObject({ ok: false });
    expect(formatTaskArn({ partition: 'aws', region: 'us-east-1', account: '1', taskId: TASK_ID })).toMatchObject({ ok: false });
    expect(formatTaskArn({ partition: 'nope', region: 'us-east-1', account: ACCOUNT, taskId: TASK_ID })).toMatchObject({ ok: false });
    expect(formatTaskArn({ partition: 'aws', region: 'us-east-1:evil', account: ACCOUNT, taskId: TASK_ID })).toMatchObject({ ok: false });
  });
});

describe('container instance ARNs', () => {
  it.each(PARTITIONS.map((partition) => [partition]))('parses old and new formats in partition %s', (partition) => {
    const region = REGION_BY_PARTITION[partition] ?? '';
    const oldArn = `arn:${partition}:ecs:${region}:${ACCOUNT}:container-instance/${INSTANCE_ID}`;
    const newArn = `arn:${partition}:ecs:${region}:${ACCOUNT}:container-instance/default/${INSTANCE_ID}`;
    expect(unwrap(parseContainerInstanceArn(oldArn))).toMatchObject({ kind: 'container-instance', format: 'old', containerInstanceId: INSTANCE_ID });
    expect(unwrap(parseContainerInstanceArn(oldArn))).not.toHaveProperty('clusterName');
    expect(unwrap(parseContainerInstanceArn(newArn))).toMatchObject({ format: 'new', clusterName: 'default', containerInstanceId: INSTANCE_ID, partition, region });
    expect(unwrap(formatContainerInstanceArn({ partition, region, account: ACCOUNT, containerInstanceId: INSTANCE_ID }))).toBe(oldArn);
    expect(unwrap(formatContainerInstanceArn({ partition, region, account: ACCOUNT, clusterName: 'default', containerInstanceId: INSTANCE_ID }))).toBe(newArn);
  });

  it('rejects a task ARN as a container instance ARN', () => {
    expect(parseContainerInstanceArn(`arn:aws:ecs:us-east-1:${ACCOUNT}:task/${TASK_ID}`)).toMatchObject({ ok: false, reason: 'invalid_arn' });
  });
});

describe('task definition ARNs', () => {
  it('parses and formats family and revision', () => {
    const arn = 'arn:aws:ecs:us-west-2:111122223333:task-definition/sample-fargate:1';
    expect(unwrap(parseTaskDefinitionArn(arn))).toEqual({
      kind: 'task-definition',
      arn,
      partition: 'aws',
      region: 'us-west-2',
      account: ACCOUNT,
      family: 'sample-fargate',
      revision: 1,
    });
    expect(unwrap(formatTaskDefinitionArn({ partition: 'aws', region: 'us-west-2', account: ACCOUNT, family: 'sample-fargate', revision: 1 }))).toBe(arn);
  });

  it.each([
    ['no revision', 'arn:aws:ecs:us-west-2:111122223333:task-definition/sample'],
    ['revision 0', 'arn:aws:ecs:us-west-2:111122223333:task-definition/sample:0'],
    ['bad family', 'arn:aws:ecs:us-west-2:111122223333:task-definition/sa.mple:3'],
  ])('rejects %s', (_label, arn) => {
    expect(parseTaskDefinitionArn(arn)).toMatchObject({ ok: false, reason: 'invalid_arn' });
  });

  it('refuses to format a fractional revision', () => {
    expect(formatTaskDefinitionArn({ partition: 'aws', region: 'us-west-2', account: ACCOUNT, family: 'f', revision: 1.5 })).toMatchObject({ ok: false });
  });
});

describe('cluster references', () => {
  const arn = `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/default`;

  it('reads a bare name', () => {
    expect(parseClusterRef('default')).toEqual({ ok: true, value: { kind: 'name', clusterName: 'default' } });
  });

  it('reads an ARN', () => {
    const ref = unwrap(parseClusterRef(arn));
    expect(ref).toMatchObject({ kind: 'arn', clusterName: 'default', arn: { arn, region: 'us-east-1' } });
  });

  it.each([
    ['a slash', 'a/b', 'invalid_cluster_name'],
    ['a dot-dot', '..', 'invalid_cluster_name'],
    ['an empty name', '', 'invalid_cluster_name'],
    ['unicode', 'caf\u00e9', 'invalid_cluster_name'],
    ['256 characters', 'x'.repeat(256), 'invalid_cluster_name'],
    ['a bad ARN', 'arn:aws:ecs:us-east-1:1:cluster/default', 'invalid_arn'],
  ])('rejects %s', (_label, input, reason) => {
    expect(parseClusterRef(input)).toMatchObject({ ok: false, reason });
  });

  it('matches a name in any account but an ARN only exactly', () => {
    const here = unwrap(parseClusterArn(arn));
    const elsewhere = unwrap(parseClusterArn('arn:aws:ecs:eu-west-1:999988887777:cluster/default'));
    const byName = unwrap(parseClusterRef('default'));
    const byArn = unwrap(parseClusterRef(arn));
    expect(clusterRefMatches(byName, here)).toBe(true);
    expect(clusterRefMatches(byName, elsewhere)).toBe(true);
    expect(clusterRefMatches(byArn, here)).toBe(true);
    expect(clusterRefMatches(byArn, elsewhere)).toBe(false);
    const other: ClusterArn = unwrap(parseClusterArn(`arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/defaults`));
    expect(clusterRefMatches(byName, other)).toBe(false);
  });
});

describe('resource identity', () => {
  const clusterArn = `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/FargateCluster`;

  it('takes the cluster of an old-format task from the cluster ARN', () => {
    const identity = unwrap(resolveTaskIdentity(`arn:aws:ecs:us-west-2:${ACCOUNT}:task/${TASK_ID}`, clusterArn));
    expect(identity).toMatchObject({ partition: 'aws', region: 'us-west-2', account: ACCOUNT, clusterName: 'FargateCluster', taskId: TASK_ID });
  });

  it.each([
    ['another region', `arn:aws:ecs:us-east-1:${ACCOUNT}:task/FargateCluster/${TASK_ID}`, 'is in aws/us-east-1/111122223333 but clusterArn'],
    ['another account', `arn:aws:ecs:us-west-2:999988887777:task/${TASK_ID}`, 'is in aws/us-west-2/999988887777'],
    ['another partition', `arn:aws-cn:ecs:us-west-2:${ACCOUNT}:task/${TASK_ID}`, 'is in aws-cn/'],
    ['another cluster name', `arn:aws:ecs:us-west-2:${ACCOUNT}:task/OtherCluster/${TASK_ID}`, 'names cluster "OtherCluster" but clusterArn names "FargateCluster"'],
  ])('reports a task ARN in %s as arn_mismatch', (_label, taskArn, message) => {
    const result = resolveTaskIdentity(taskArn, clusterArn);
    expect(result).toMatchObject({ ok: false, reason: 'arn_mismatch' });
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('names the field whose ARN is invalid', () => {
    expect(resolveTaskIdentity('nope', clusterArn)).toMatchObject({ ok: false, reason: 'invalid_arn', message: expect.stringMatching(/^taskArn: /) });
    expect(resolveContainerInstanceIdentity(`arn:aws:ecs:us-west-2:${ACCOUNT}:container-instance/${INSTANCE_ID}`, 'nope')).toMatchObject({
      ok: false,
      reason: 'invalid_arn',
      message: expect.stringMatching(/^clusterArn: /),
    });
  });

  it('checks a new-format container instance ARN against the cluster name', () => {
    expect(
      resolveContainerInstanceIdentity(`arn:aws:ecs:us-west-2:${ACCOUNT}:container-instance/other/${INSTANCE_ID}`, clusterArn),
    ).toMatchObject({ ok: false, reason: 'arn_mismatch' });
  });
});
