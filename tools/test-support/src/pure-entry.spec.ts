import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const HEAVY = /[\\/]node_modules[\\/](etcd3|@grpc|ioredis|bullmq)[\\/]/;

/** The files a fresh Node process has loaded after requiring `entry` (a path alias or a file). */
function modulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
}

// Jest's own module registry hides what a plain require loads, so each entry is loaded in a process of its own.
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
