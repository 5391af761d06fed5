import type { ParsedKey } from '@ecs-state/domain';
import { FanOut } from './fan-out';
import type { SubscriptionEndReason } from './subscription';
import type { ViewChange } from './view-entry';

/** A change of a view of numbers: fan-out only passes changes on, whatever they hold. */
function change(revision: number): ViewChange<number> {
  const key = `/fan-out/tasks/${revision}`;
  const entry = { key, kind: 'task' as const, state: revision, location: {} as ParsedKey, modRevision: revision };
  return { type: 'put', key, kind: 'task', revision, entry, previous: null };
}

describe('FanOut', () => {
  const errors: string[] = [];
  const logger = { info: () => undefined, warn: () => undefined, error: (message: string) => void errors.push(message) };
  beforeEach(() => errors.splice(0));

  it('hands the backlog over before add returns, then every published batch, until closed', () => {
    const fanOut = new FanOut<number>(logger);
    const seen: number[][] = [];
    const subscription = fanOut.add((changes) => seen.push(changes.map((c) => c.revision)), () => undefined, [change(1), change(2)]);
    expect(seen).toEqual([[1, 2]]);
    fanOut.publish([change(3)]);
    fanOut.publish([]);
    subscription.close();
    fanOut.publish([change(4)]);
    expect(seen).toEqual([[1, 2], [3]]);
    expect(fanOut.size).toBe(0);
  });

  it('keeps delivering to the others when one subscriber throws, and keeps the one that threw', () => {
    const fanOut = new FanOut<number>(logger);
    const seen: number[] = [];
    fanOut.add(() => {
      throw new Error('broken reader');
    }, () => undefined, []);
    fanOut.add((changes) => seen.push(...changes.map((c) => c.revision)), () => undefined, []);
    fanOut.publish([change(5)]);
    fanOut.publish([change(6)]);
    expect(seen).toEqual([5, 6]);
    expect(errors).toEqual(['state view subscriber failed', 'state view subscriber failed']);
    expect(fanOut.size).toBe(2);
  });

  it('ends every subscriber once with the reason, even when one throws on ending', () => {
    const fanOut = new FanOut<number>(logger);
    const ended: SubscriptionEndReason[] = [];
    fanOut.add(() => undefined, () => {
      throw new Error('broken reader');
    }, []);
    fanOut.add(() => undefined, (reason) => ended.push(reason), []);
    fanOut.endAll('view_resync');
    fanOut.endAll('view_stopped');
    expect(ended).toEqual(['view_resync']);
    expect(errors).toEqual(['state view subscriber failed to end']);
    expect(fanOut.size).toBe(0);
  });
});
