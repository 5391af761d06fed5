import { SyncTracker } from './sync-tracker';

/** A clock the test moves by hand: staleness is a matter of time alone. */
function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('SyncTracker', () => {
  it('reports no staleness while the view keeps up with every probe', () => {
    const time = clock();
    const tracker = new SyncTracker(time.now);
    expect(tracker.sinceLastProbeMs()).toBeUndefined();
    tracker.probed(10, time.now(), 10);
    time.advance(5_000);
    expect(tracker.stalenessMs()).toBe(0);
    expect(tracker.sinceLastProbeMs()).toBe(5_000);
  });

  it('grows staleness from the oldest probe the view has not reached, and clears it as the view advances', () => {
    const time = clock();
    const tracker = new SyncTracker(time.now);
    tracker.probed(12, time.now(), 10); // etcd is at 12, the view at 10: a watch that stalled here
    time.advance(1_000);
    tracker.probed(15, time.now(), 10);
    time.advance(1_500);
    expect(tracker.stalenessMs()).toBe(2_500);

    tracker.advanced(13); // settles the first probe only
    expect(tracker.oldestPending()).toEqual({ revision: 15, at: 2_000 });
    expect(tracker.stalenessMs()).toBe(1_500);

    tracker.confirmed(15); // nothing changed under the prefix up to 15
    expect(tracker.stalenessMs()).toBe(0);
  });

  it('keeps the oldest probe when probes pile up, so a long stall is not hidden', () => {
    const time = clock();
    const tracker = new SyncTracker(time.now, 4);
    for (let revision = 11; revision <= 30; revision++) {
      tracker.probed(revision, time.now(), 10);
      time.advance(100);
    }
    expect(tracker.oldestPending()).toEqual({ revision: 11, at: 1_000 });
    expect(tracker.stalenessMs()).toBe(2_000);
    tracker.advanced(29);
    expect(tracker.oldestPending()).toEqual({ revision: 30, at: 2_900 });
  });
});
