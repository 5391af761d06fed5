import { keyAfter, prefixRangeEnd } from './key-range';

describe('key ranges', () => {
  it('ends a prefix range just past every key starting with it', () => {
    expect(prefixRangeEnd(Buffer.from('/a/')).toString()).toBe('/a0');
    expect(prefixRangeEnd(Buffer.from([0x61, 0xff, 0xff]))).toEqual(Buffer.from([0x62]));
    expect(prefixRangeEnd(Buffer.from([0xff]))).toEqual(Buffer.from([0]));
  });

  it('resumes strictly after a key', () => {
    const next = keyAfter(Buffer.from('/a/b'));
    expect(Buffer.compare(next, Buffer.from('/a/b'))).toBe(1);
    expect(Buffer.compare(next, Buffer.from('/a/b\u0001'))).toBe(-1);
  });
});
