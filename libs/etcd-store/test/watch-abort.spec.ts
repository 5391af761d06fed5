import { EventLog } from './support/event-log';
import { rec, uniquePrefix } from './support/test-records';
import { storeOnDedicatedEtcd } from './support/test-store';

/** A watch that cannot start while etcd is away gives up when its signal says so (dedicated etcd: it is paused). */
describe('giving up a watch that has not started', () => {
  const dedicated = storeOnDedicatedEtcd();

  it('rejects with the signal reason while etcd is stalled (SIGSTOP), and leaves nothing running', async () => {
    const { etcd, store } = dedicated();
    const p = uniquePrefix('abort');
    const first = await store.upsertOneIfNewer(rec(`${p}/a`, 1));
    etcd.pause();
    const log = new EventLog();
    const reason = new Error('given up');
    const controller = new AbortController();
    const watching = store.watch(p, { ...log.options(first.revision), signal: controller.signal }).then(
      () => 'started',
      (error: unknown) => error,
    );
    setTimeout(() => controller.abort(reason), 300);
    let bound: NodeJS.Timeout | undefined;
    try {
      // A stopped etcd answers nothing and the client sets no deadline, so a watch that waited
      // for etcd rather than for its signal would still be waiting when etcd resumes, however
      // long the wait: it settles while etcd is still paused, or not at all.
      expect(await Promise.race([watching, new Promise((r) => (bound = setTimeout(() => r('still waiting'), 15_000)))])).toBe(reason);
    } finally {
      clearTimeout(bound);
      etcd.resume();
    }

    await store.upsertOneIfNewer(rec(`${p}/a`, 2));
    // A watch left starting in the background would now deliver both versions.
    await new Promise((r) => setTimeout(r, 1000));
    expect(log.events).toEqual([]);
  }, 30_000);

  it('rejects at once with a signal that has already aborted', async () => {
    const { store } = dedicated();
    const reason = new Error('too late');
    await expect(store.watch(uniquePrefix('abort'), { ...new EventLog().options(), signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});
