export { startEtcd, type EtcdOptions, type EtcdServer } from './etcd';
export { startEtcdCluster, type EtcdCluster, type EtcdClusterMember, type EtcdClusterOptions } from './etcd-cluster';
export type { EtcdTuning } from './etcd-member';
export { startRedis, type RedisOptions, type RedisServer } from './redis';
export { CHROMIUM, ensureBinaries, ETCD, REDIS, type ServerBinary } from './ensure-binaries';
export { freePort } from './free-port';
export { TcpProxy } from './tcp-proxy';
export { TEST_ENV, testEtcdEndpoints, testRedisUrl } from './test-env';
export { launchChromium, type HeadlessBrowser } from './headless-chromium';
