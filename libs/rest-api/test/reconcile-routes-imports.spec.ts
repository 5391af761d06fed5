import { modulesLoadedBy } from '@ecs-state/test-support';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const QUEUE_CLIENTS = /[\\/]node_modules[\\/](bullmq|ioredis)[\\/]/;

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
