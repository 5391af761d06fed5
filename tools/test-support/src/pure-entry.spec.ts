import path from 'node:path';
import { modulesLoadedBy } from './modules-loaded-by';

const ROOT = path.resolve(__dirname, '../../..');
const HEAVY = /[\\/]node_modules[\\/](etcd3|@grpc|ioredis|bullmq)[\\/]/;

describe('entries of the test support', () => {
  it('@ecs-state/test-support loads no etcd, Redis or gRPC client and no other workspace project', () => {
    const loaded = modulesLoadedBy(path.join(__dirname, 'index.ts'));
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((file) => HEAVY.test(file))).toEqual([]);
    const own = path.join(ROOT, 'tools/test-support') + path.sep;
    expect(loaded.filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith(own))).toEqual([]);
  });

  it('@ecs-state/test-services does load etcd3, which is why it is an entry of its own', () => {
    expect(modulesLoadedBy('@ecs-state/test-services').some((file) => HEAVY.test(file))).toBe(true);
  });
});
