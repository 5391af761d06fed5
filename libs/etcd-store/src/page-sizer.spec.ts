import type { IKeyValue } from 'etcd3';
import { PageSizer } from './page-sizer';

function kvs(count: number, valueBytes: number): IKeyValue[] {
  return Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`k${String(i).padStart(7, '0')}`), value: Buffer.alloc(valueBytes) }) as IKeyValue);
}

describe('PageSizer', () => {
  it('starts with 100 items (fewer when the most allowed is lower) and sizes later pages by the bytes read', () => {
    expect(new PageSizer(10).next()).toBe(10);
    const sizer = new PageSizer(5000, 1024 * 1024);
    expect(sizer.next()).toBe(100);
    // 8 KB records: a 1 MiB page holds 127.
    sizer.observed(kvs(100, 8192 - 8), 100);
    expect(sizer.next()).toBe(128);
    sizer.observed(kvs(128, 8192 - 8), 128);
    expect(sizer.next()).toBe(128);
  });

  it('grows at most fourfold a page, up to the most allowed', () => {
    const sizer = new PageSizer(1000, 1024 * 1024);
    sizer.observed(kvs(100, 92), 100);
    expect(sizer.next()).toBe(400);
    sizer.observed(kvs(400, 92), 400);
    expect(sizer.next()).toBe(1000);
  });

  it('shrinks at once when records grow, to one record at least', () => {
    const sizer = new PageSizer(1000, 1024 * 1024);
    sizer.observed(kvs(100, 92), 100);
    sizer.observed(kvs(10, 4 * 1024 * 1024), 400);
    expect(sizer.next()).toBe(1);
  });

  it('keeps the limit after an empty page', () => {
    const sizer = new PageSizer(1000);
    sizer.observed([], 100);
    expect(sizer.next()).toBe(100);
  });
});
