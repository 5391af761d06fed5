import { sustainedRate } from './sustained-rate';

describe('sustainedRate', () => {
  it('measures between 10 % and 90 % done, interpolating between samples', () => {
    // A slow start (100 in the first 2 s), then 100 per second, then a slow drain.
    const progress = [
      { seconds: 0, done: 0 },
      { seconds: 2, done: 100 },
      { seconds: 10, done: 900 },
      { seconds: 20, done: 1000 },
    ];
    // The whole run averages 50 per second; its middle sustains 100.
    expect(sustainedRate(progress, 1000)).toBeCloseTo(100, 6);
  });

  it('interpolates inside a sample interval', () => {
    const progress = [
      { seconds: 0, done: 0 },
      { seconds: 10, done: 1000 },
    ];
    // 10 % at 1 s, 90 % at 9 s.
    expect(sustainedRate(progress, 1000)).toBeCloseTo(100, 6);
    expect(sustainedRate(progress, 1000, 0.5, 0.6)).toBeCloseTo(100, 6);
  });

  it('is undefined when the run never reaches a mark or spans no time', () => {
    expect(sustainedRate([{ seconds: 1, done: 50 }], 1000)).toBeUndefined();
    expect(sustainedRate([{ seconds: 1, done: 1000 }], 1000)).toBeUndefined();
    expect(sustainedRate([], 1000)).toBeUndefined();
  });
});
