import { eventually } from '@ecs-state/test-support';
import { CompactedRevisionError } from '../src';
import { PrefixWatch } from '../src/prefix-watch';
import { EventLog } from './support/event-log';
import { rec, testCodec, uniquePrefix } from './support/test-records';
import { storeOnDedicatedEtcd } from './support/test-store';

describe('compacted revisions (dedicated etcd)', () => {
  const dedicated = storeOnDedicatedEtcd();

  it('list, snapshot and watch raise CompactedRevisionError with the compact revision', async () => {
    const { client, store } = dedicated();
    const p = uniquePrefix('compaction');
    await store.upsertIfNewer(Array.from({ length: 5 }, (_, i) => rec(`${p}/${i}`, 1)));
    const firstPage = await store.list(p, { limit: 2 });
    expect(firstPage.continueToken).toBeDefined();
    const early = firstPage.revision;
    await store.upsertIfNewer(Array.from({ length: 5 }, (_, i) => rec(`${p}/${i}`, 2)));
    const compactAt = await store.currentRevision();
    await client.kv.compact({ revision: compactAt, physical: true });

    const expectCompacted = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CompactedRevisionError);
      expect(error).toMatchObject({ requestedRevision: early, compactRevision: compactAt });
    };
    await expectCompacted(store.list(p, { limit: 2, continueToken: firstPage.continueToken as string }));
    await expectCompacted(store.list(p, { limit: 2, revision: early }));
    await expectCompacted(store.snapshot(p, { revision: early }));
    const log = new EventLog();
    await expectCompacted(store.watch(p, log.options(early)));

    // The compact revision itself is still readable and watchable.
    const atCompact = await store.snapshot(p, { revision: compactAt });
    expect(atCompact.items.every((i) => i.record.version === 2)).toBe(true);
    const watch = await store.watch(p, log.options(compactAt));
    await watch.close();

    // The stream itself reports compaction too (what a watch meets when it resumes after history is gone).
    // etcd accepts the watch first, then cancels it with the compact revision.
    const raw = new PrefixWatch(client, testCodec, p, early, log.options());
    await raw.start();
    await eventually('the compaction notice', () => log.errors.length > 0, { timeoutMs: 10_000 });
    await expectCompacted(Promise.reject(log.errors[0]));
    expect(log.events).toEqual([]);
    await raw.close();
  });
});
