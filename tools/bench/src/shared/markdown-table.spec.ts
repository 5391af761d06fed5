import { formatRate, markdownTable } from './markdown-table';

describe('markdownTable', () => {
  it('pads every column to its widest cell', () => {
    expect(markdownTable(['run', 'events/s'], [['ceiling', '12,000'], ['x', '9']])).toBe(
      ['| run     | events/s |', '| ------- | -------- |', '| ceiling | 12,000   |', '| x       | 9        |'].join('\n'),
    );
  });

  it('treats missing cells as empty', () => {
    expect(markdownTable(['a', 'b'], [['1']]).split('\n')[2]).toBe('| 1 |   |');
  });
});

describe('formatRate', () => {
  it('rounds and groups thousands', () => {
    expect(formatRate(12345.6)).toBe('12,346');
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('n/a');
  });
});
