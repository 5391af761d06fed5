import { startEtcd, type EtcdOptions, type EtcdServer } from '@ecs-state/local-services';

/**
 * A describe block with an etcd of its own, for tests that pause, kill or compact it, which
 * would disturb every other user of the shared one. The etcd starts before the block's own
 * beforeAll hooks and stops after its afterAll hooks (Jest runs them in the order declared),
 * so the block's clients and views close while it still answers. `etcd()` is the server,
 * from the first hook on.
 */
export function describeOnDedicatedEtcd(title: string, body: (etcd: () => EtcdServer) => void, options: EtcdOptions = {}): void {
  describe(title, () => {
    let server: EtcdServer | undefined;
    beforeAll(async () => {
      server = await startEtcd(options);
    }, 30_000);
    body(() => {
      if (!server) throw new Error('the dedicated etcd starts in the first beforeAll');
      return server;
    });
    afterAll(async () => {
      // A test may leave it paused, and a stopped process would not answer the signal that ends it.
      server?.resume();
      await server?.stop();
    });
  });
}
