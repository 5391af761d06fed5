import { parseKey, parseKeyPrefix } from '@ecs-state/domain';
import { LocationInterner } from './location-interner';

const prefix = (() => {
  const parsed = parseKeyPrefix('/interner-test');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
})();

const parsed = (key: string) => {
  const location = parseKey(prefix, `/interner-test/${key}`);
  if (location === null) throw new Error(key);
  return location;
};

describe('LocationInterner', () => {
  it('keeps what each key names, with one set of cluster fields per cluster', () => {
    const interner = new LocationInterner();
    const a = interner.intern(parsed('tasks/aws/us-east-1/123456789012/web/aaaa'));
    const b = interner.intern(parsed('tasks/aws/us-east-1/123456789012/web/bbbb'));
    const i = interner.intern(parsed('instances/aws/us-east-1/123456789012/web/cccc'));
    const other = interner.intern(parsed('tasks/aws/us-east-1/123456789012/db/dddd'));
    expect(a).toEqual(parsed('tasks/aws/us-east-1/123456789012/web/aaaa'));
    expect(i).toEqual(parsed('instances/aws/us-east-1/123456789012/web/cccc'));
    expect(b.clusterArn).toBe(a.clusterArn);
    expect(other).toMatchObject({ clusterName: 'db', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/db', taskId: 'dddd' });
  });
});
