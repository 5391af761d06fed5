import { topAllocations, topSelfTime } from './v8-profile-summary';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

describe('V8 profile summaries', () => {
  it('CPU: self time per function from the samples and their time deltas, largest first', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)') },
        { id: 2, callFrame: frame('parse', 'file:///x/dist/main.js', 9) },
        { id: 3, callFrame: frame('', 'node:internal/a.js', 0) },
        { id: 4, callFrame: frame('parse', 'file:///x/dist/main.js', 9) },
      ],
      samples: [2, 3, 4, 2],
      timeDeltas: [1000, 500, 2000, 1500],
    };
    const { totalMs, entries } = topSelfTime(profile, 2);
    expect(totalMs).toBe(5);
    expect(entries).toEqual([
      { name: 'parse (main.js:10)', amount: 4.5, share: 0.9 },
      { name: '(anonymous) (a.js:1)', amount: 0.5, share: 0.1 },
    ]);
  });

  it('heap: bytes per allocating function over the whole tree', () => {
    const leaf = (name: string, selfSize: number) => ({ callFrame: frame(name), selfSize, children: [] });
    const profile = { head: { callFrame: frame('(root)'), selfSize: 0, children: [leaf('decode', 300), { ...leaf('load', 100), children: [leaf('decode', 600)] }] } };
    const { totalBytes, entries } = topAllocations(profile);
    expect(totalBytes).toBe(1000);
    expect(entries[0]).toEqual({ name: 'decode', amount: 900, share: 0.9 });
  });
});
