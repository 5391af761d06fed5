/**
 * Environment variables through which a test run hands its shared etcd and Redis
 * to test files. They are distinct from the services' own ETCD_ENDPOINTS /
 * REDIS_URL so that a developer's configuration never points tests at real data.
 */
export const TEST_ENV = {
  etcdEndpoints: 'TEST_ETCD_ENDPOINTS',
  redisUrl: 'TEST_REDIS_URL',
} as const;

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run tests with \`npm test\` or through a jest config that has the local-services globalSetup`);
  }
  return value;
}

export function testEtcdEndpoints(): string {
  return required(TEST_ENV.etcdEndpoints);
}

export function testRedisUrl(): string {
  return required(TEST_ENV.redisUrl);
}
