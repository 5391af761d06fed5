import { describeOnDedicatedEtcd } from './dedicated-etcd';

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

describeOnDedicatedEtcd('describeOnDedicatedEtcd', (etcd) => {
  let answeredInBeforeAll = false;
  beforeAll(async () => {
    answeredInBeforeAll = await answers(etcd().endpoint);
  });
  // Fails the suite if the etcd were stopped before the block's own teardown.
  afterAll(async () => {
    etcd().resume();
    expect(await answers(etcd().endpoint)).toBe(true);
    etcd().pause();
  });

  it("runs before the block's own beforeAll", () => {
    expect(answeredInBeforeAll).toBe(true);
  });

  it('is the same server throughout the block, and is stopped after it even when left paused', async () => {
    const endpoint = etcd().endpoint;
    expect(await answers(endpoint)).toBe(true);
    etcd().pause();
    expect(await answers(endpoint)).toBe(false);
    expect(etcd().endpoint).toBe(endpoint);
  });
});
