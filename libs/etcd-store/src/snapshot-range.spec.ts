import type { IKeyValue } from 'etcd3';
import { prefixRangeEnd } from './key-range';
import { nextSnapshotRange, type SnapshotRange } from './snapshot-range';

const kvs = (...keys: string[]): IKeyValue[] =>
  keys.map((key) => ({ key: Buffer.from(key), value: Buffer.from('v'), create_revision: '1', mod_revision: '1', version: '1', lease: '0' }));
const text = (range: SnapshotRange | undefined) => (range === undefined ? undefined : { from: range.from.toString('latin1'), end: range.end.toString('latin1') });

describe('nextSnapshotRange', () => {
  const whole = prefixRangeEnd(Buffer.from('/p/'));
  const unbounded: SnapshotRange = { from: Buffer.from('/p/'), end: whole };

  it('bounds the next range by the directory a whole page lies in', () => {
    const next = nextSnapshotRange(unbounded, kvs('/p/tasks/c1/a', '/p/tasks/c1/b'), true, whole);
    expect(text(next)).toEqual({ from: '/p/tasks/c1/b\0', end: '/p/tasks/c10' });
  });

  it('stays within that directory while it has more, then reads the rest of the prefix from its end', () => {
    const bounded = nextSnapshotRange(unbounded, kvs('/p/tasks/c1/a', '/p/tasks/c1/b'), true, whole) as SnapshotRange;
    const within = nextSnapshotRange(bounded, kvs('/p/tasks/c1/c', '/p/tasks/c1/d'), true, whole) as SnapshotRange;
    expect(within.end).toBe(bounded.end);
    const after = nextSnapshotRange(within, kvs('/p/tasks/c1/e'), false, whole) as SnapshotRange;
    expect(text(after)).toEqual({ from: '/p/tasks/c10', end: text(unbounded)?.end });
    expect(after.end).toBe(whole);
    // The directory's end may come right after the last key read: an empty range, and on.
    expect(nextSnapshotRange(within, [], false, whole)?.end).toBe(whole);
  });

  it('reads on to the end of the prefix after a page that spans directories', () => {
    const next = nextSnapshotRange(unbounded, kvs('/p/tasks/c1/z', '/p/tasks/c2/a'), true, whole);
    expect(text(next)).toEqual({ from: '/p/tasks/c2/a\0', end: text(unbounded)?.end });
  });

  it('ends when the unbounded range has no more', () => {
    expect(nextSnapshotRange(unbounded, kvs('/p/a'), false, whole)).toBeUndefined();
    expect(nextSnapshotRange(unbounded, [], false, whole)).toBeUndefined();
  });

  it('never reads past the prefix when the directory is wider than it', () => {
    const narrow = prefixRangeEnd(Buffer.from('/p/00'));
    const next = nextSnapshotRange({ from: Buffer.from('/p/00'), end: narrow }, kvs('/p/001', '/p/002'), true, narrow);
    expect(next?.end).toBe(narrow);
  });
});
