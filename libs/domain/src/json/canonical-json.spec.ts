import { canonicalJson } from '../index';
import type { JsonValue } from './json-value';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('does not depend on insertion order', () => {
    const one = { taskArn: 'x', version: 1, containers: [{ name: 'a', image: 'i' }] };
    const two = { containers: [{ image: 'i', name: 'a' }], version: 1, taskArn: 'x' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('omits undefined-valued properties', () => {
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });

  it('escapes strings and keys as JSON does', () => {
    const value = { 'quo"te': 'line\nbreak \u2028 \u00e9' };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('sorts by code unit, independent of locale', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4 })).toBe('{"B":2,"_":4,"a":3,"b":1}');
  });

  it('serializes primitives like JSON', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('writes a tree already in canonical order exactly as an unordered one', () => {
    const ordered = { a: [{ k: 'x', v: 1 }, [2, { m: null, n: 'é' }]], b: { c: true, d: 'line\n' }, e: 1.25 };
    const unordered = { e: 1.25, b: { d: 'line\n', c: true }, a: [{ v: 1, k: 'x' }, [2, { n: 'é', m: null }]] };
    expect(canonicalJson(ordered)).toBe(canonicalJson(unordered));
    expect(canonicalJson(ordered)).toBe('{"a":[{"k":"x","v":1},[2,{"m":null,"n":"é"}]],"b":{"c":true,"d":"line\\n"},"e":1.25}');
  });

  it('sorts integer-like keys by code unit, not in the numeric order objects list them in', () => {
    expect(canonicalJson({ '10': 'a', '9': 'b', x: 'c' })).toBe('{"10":"a","9":"b","x":"c"}');
    expect(canonicalJson({ nested: { '2': 0, '11': 1 } })).toBe('{"nested":{"11":1,"2":0}}');
  });

  it('omits undefined-valued properties of an ordered tree too', () => {
    // Values typed as JSON can still hold undefined at run time (optional properties).
    const tree = { a: 1, b: undefined, c: [undefined] } as unknown as JsonValue;
    expect(canonicalJson(tree)).toBe('{"a":1,"c":[null]}');
  });
});
