export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__ecsStateServices;
  await Promise.all([started?.etcd?.stop(), started?.redis?.stop()]);
}
