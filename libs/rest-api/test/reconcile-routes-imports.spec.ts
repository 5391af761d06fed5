import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const QUEUE_CLIENTS = /[\\/]node_modules[\\/](bullmq|ioredis)[\\/]/;

/** The files a fresh Node process has loaded once it has required `entry` (a file or a path alias). */
function modulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
}

// Jest's module registry hides what a plain require loads, so each module is loaded in a process of its own.
describe('the REST surface, the reconcile routes and the drift report schema', () => {
  it('load neither BullMQ nor ioredis as a whole: the queue client comes from the app, its errors are known by their base class', () => {
    const loaded = modulesLoadedBy('@ecs-state/rest-api');
    expect(loaded).toContain(path.join(ROOT, 'libs/rest-api/src/http/dependency-errors.ts'));
    expect(loaded.filter((file) => QUEUE_CLIENTS.test(file))).toEqual([]);
  });

  it('load neither BullMQ nor ioredis: the schema comes from @ecs-state/domain, the queue client from the app', () => {
    const loaded = modulesLoadedBy(path.join(__dirname, '../src/routes/reconcile-routes.ts'));
    expect(loaded).toContain(path.join(ROOT, 'libs/domain/src/drift/drift-report.ts'));
    expect(loaded.filter((file) => QUEUE_CLIENTS.test(file))).toEqual([]);
  });

  it('would be seen loading them through @ecs-state/reconcile-jobs', () => {
    expect(modulesLoadedBy('@ecs-state/reconcile-jobs').filter((file) => QUEUE_CLIENTS.test(file)).length).toBeGreaterThan(0);
  });
});
