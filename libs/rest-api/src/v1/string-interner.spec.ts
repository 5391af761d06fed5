import { StringInterner } from './string-interner';

describe('StringInterner', () => {
  it('returns equal strings for equal strings, and undefined as it is', () => {
    const interner = new StringInterner();
    const first = interner.intern(['RUN', 'NING'].join(''));
    expect(interner.intern('RUNNING')).toBe(first);
    expect(interner.intern(undefined)).toBeUndefined();
    expect(interner.intern('STOPPED')).toBe('STOPPED');
  });
});
