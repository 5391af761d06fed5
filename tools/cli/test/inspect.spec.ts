import { createServer, type AddressInfo } from 'node:net';
import { runCli, type CliIo } from '../src/run-cli';
import { TOKEN } from './support/cli-world';
import { CLUSTERS, INSTANCES_PER_CLUSTER, startInspectWorld, TASKS_PER_CLUSTER, type InspectWorld } from './support/inspect-world';
import { runCaptured, type Outcome } from './support/run-captured';
import { readTable } from './support/table-text';

jest.setTimeout(120_000);

type Entity = Record<string, unknown>;
interface Item {
  metadata: { entityVersion: string; deleted?: boolean };
  entity: Entity;
}

const ALL_TASKS = CLUSTERS.length * TASKS_PER_CLUSTER;
const idOf = (arn: unknown): string => String(arn).slice(String(arn).lastIndexOf('/') + 1);

describe('ecs-state get, describe and top, through the REST API', () => {
  let world: InspectWorld;

  beforeAll(async () => {
    world = await startInspectWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  const cli = (args: string[], io: Partial<CliIo> = {}): Promise<Outcome> => runCaptured(args, world.env, io);

  async function apiList(path: string): Promise<Item[]> {
    const response = await fetch(`${world.apiUrl}/${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return ((await response.json()) as { items: Item[] }).items;
  }

  describe('get tasks', () => {
    it('prints a table with one aligned row per task, read a page at a time', async () => {
      const tasks = await apiList('v1/tasks');
      const result = await cli(['get', 'tasks'], { columns: 200 });
      expect(result).toMatchObject({ code: 0, err: '' });
      const table = readTable(result.out);
      expect(table.headers).toEqual(['CLUSTER', 'TASK', 'TASK DEFINITION', 'LAST', 'DESIRED', 'LAUNCH', 'INSTANCE', 'AGE']);
      expect(table.rows).toHaveLength(ALL_TASKS);
      const byId = new Map(table.rows.map((row) => [row['TASK'], row]));
      for (const { entity } of tasks) {
        const row = byId.get(idOf(entity['taskARN']));
        expect(row).toEqual({
          CLUSTER: idOf(entity['clusterARN']),
          TASK: idOf(entity['taskARN']),
          'TASK DEFINITION': String(entity['taskDefinitionARN']).split('task-definition/')[1],
          LAST: entity['lastStatus'],
          DESIRED: entity['desiredStatus'],
          LAUNCH: entity['launchType'],
          INSTANCE: entity['containerInstanceARN'] === '' ? '-' : idOf(entity['containerInstanceARN']),
          AGE: expect.stringMatching(/^\d+[smhd]$/),
        });
      }
      expect(tasks.some((t) => t.entity['launchType'] === 'FARGATE')).toBe(true);

      // Pages of 5: the same rows in the same order, aligned under the first page's widths
      // (on a terminal a longer value of a later page is cut).
      const paged = readTable((await cli(['get', 'tasks'], { pageSize: 5, columns: 200 })).out);
      expect(paged.rows.map((r) => r['TASK'])).toEqual(table.rows.map((r) => r['TASK']));
      paged.rows.forEach((row, i) => {
        for (const [name, value] of Object.entries(row)) {
          const whole = table.rows[i]?.[name] ?? '';
          expect(value.endsWith('…') ? whole.startsWith(value.slice(0, -1)) : value === whole).toBe(true);
        }
      });
    });

    it('fits the terminal width, cutting the instance column first and never the task id', async () => {
      const wide = await cli(['get', 'tasks', '--cluster', 'workload-0'], { columns: 200 });
      const natural = Math.max(...wide.out.split('\n').map((line) => line.length));
      expect(natural).toBeGreaterThan(100);

      const narrow = await cli(['get', 'tasks', '--cluster', 'workload-0'], { columns: 110 });
      expect(narrow.code).toBe(0);
      const lines = narrow.out.split('\n');
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(110);
      const table = readTable(narrow.out);
      const full = readTable(wide.out);
      expect(table.rows.map((r) => r['TASK'])).toEqual(full.rows.map((r) => r['TASK']));
      expect(table.rows.some((r) => r['INSTANCE']?.endsWith('…'))).toBe(true);
      expect(table.rows.map((r) => r['CLUSTER'])).toEqual(full.rows.map((r) => r['CLUSTER']));

      // Narrower than the columns that are never cut: those stay whole, the others are as narrow as they go.
      const tiny = readTable((await cli(['get', 'tasks', '--cluster', 'workload-0'], { columns: 40 })).out);
      expect(tiny.rows.map((r) => r['TASK'])).toEqual(full.rows.map((r) => r['TASK']));
      expect(tiny.rows.every((r) => (r['INSTANCE'] ?? '').length <= 8 && (r['CLUSTER'] ?? '').length <= 10)).toBe(true);

      // Not a terminal: COLUMNS if set, else nothing is cut.
      const piped = await cli(['get', 'tasks', '--cluster', 'workload-0'], { env: { ...world.env, COLUMNS: '110' } });
      expect(piped.out).toBe(narrow.out);
      const unlimited = await cli(['get', 'tasks', '--cluster', 'workload-0']);
      expect(unlimited.out).toBe(wide.out);
      expect(unlimited.out).not.toContain('…');
    });

    it('-o wide adds the group, who started it, health, zone and stop code', async () => {
      const result = await cli(['get', 'tasks', '-o', 'wide'], { columns: 300 });
      const table = readTable(result.out);
      expect(table.headers).toEqual(['CLUSTER', 'TASK', 'TASK DEFINITION', 'LAST', 'DESIRED', 'LAUNCH', 'INSTANCE', 'AGE', 'GROUP', 'STARTED BY', 'HEALTH', 'ZONE', 'STOP CODE']);
      expect(table.rows).toHaveLength(ALL_TASKS);
      expect(new Set(table.rows.map((r) => r['STARTED BY']))).toEqual(new Set(['workload']));
      expect(table.rows.every((r) => r['GROUP']?.startsWith('family:workload-'))).toBe(true);
    });

    it("-o json prints the API's items and the list's revision; -o ndjson one item per line", async () => {
      const tasks = await apiList('v1/tasks');
      const json = await cli(['get', 'tasks', '-o', 'json'], { pageSize: 5 });
      expect(json.code).toBe(0);
      const body = JSON.parse(json.out) as { items: Item[]; revision: string };
      expect(body.revision).toMatch(/^\d+$/);
      const sort = (items: Item[]) => [...items].sort((a, b) => String(a.entity['taskARN']).localeCompare(String(b.entity['taskARN'])));
      expect(sort(body.items)).toEqual(sort(tasks));

      const ndjson = await cli(['get', 'tasks', '-o', 'ndjson'], { pageSize: 5 });
      const lines = ndjson.out.split('\n');
      expect(lines).toHaveLength(ALL_TASKS);
      expect(sort(lines.map((line) => JSON.parse(line) as Item))).toEqual(sort(tasks));
    });

    it('passes --cluster, --status, --family and -l to the API', async () => {
      const items = async (args: string[]) => (await cli(['get', 'tasks', '-o', 'ndjson', ...args])).out.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Item).entity);
      const cluster = await items(['--cluster', 'workload-1']);
      expect(cluster).toHaveLength(TASKS_PER_CLUSTER);
      expect(cluster.every((t) => idOf(t['clusterARN']) === 'workload-1')).toBe(true);

      const fargate = await items(['--family', 'workload-fargate']);
      expect(fargate.length).toBeGreaterThan(0);
      expect(fargate.every((t) => t['launchType'] === 'FARGATE')).toBe(true);
      expect(await items(['-l', 'launchType=fargate'])).toEqual(expect.arrayContaining(fargate));
      expect(await items(['-l', 'launchType=fargate'])).toHaveLength(fargate.length);

      const running = await items(['--status', 'running', '--cluster', 'workload-0']);
      expect(running).toHaveLength(TASKS_PER_CLUSTER);

      const arn = await world.runTask('workload-0', { group: 'service:web' });
      const web = await world.until('the service:web task', async () => {
        const found = await items(['-l', 'group=service:web']);
        return found.length > 0 ? found : undefined;
      });
      expect(web.map((t) => t['taskARN'])).toEqual([arn]);
      expect(await items(['-l', 'group=service:web', '--cluster', 'workload-1'])).toEqual([]);
    });
  });

  describe('get instances', () => {
    it('prints each instance with its status, agent, tasks and CPU/memory in use', async () => {
      const instances = await apiList('v1/instances');
      const result = await cli(['get', 'instances'], { columns: 200 });
      expect(result.code).toBe(0);
      const table = readTable(result.out);
      expect(table.headers).toEqual(['CLUSTER', 'INSTANCE', 'EC2 INSTANCE', 'STATUS', 'AGENT', 'TASKS', 'CPU', 'MEMORY', 'AGE']);
      expect(table.rows).toHaveLength(CLUSTERS.length * INSTANCES_PER_CLUSTER);
      for (const { entity } of instances) {
        const row = table.rows.find((r) => r['INSTANCE'] === idOf(entity['containerInstanceARN']));
        const value = (list: unknown, name: string) => Number((list as { name: string; value: string }[]).find((r) => r.name === name)?.value);
        const cpu = value(entity['registeredResources'], 'CPU');
        expect(row).toMatchObject({
          'EC2 INSTANCE': entity['EC2InstanceID'],
          STATUS: 'ACTIVE',
          AGENT: 'connected',
          TASKS: String(entity['runningTasksCount']),
          CPU: `${cpu - value(entity['remainingResources'], 'CPU')}/${cpu}`,
        });
      }
      const wide = readTable((await cli(['get', 'instances', '-o', 'wide'], { columns: 300 })).out);
      expect(wide.headers.slice(-4)).toEqual(['PENDING', 'AGENT VERSION', 'TYPE', 'ZONE']);
    });

    it('-l takes an attribute (name=value or name) or agentConnected', async () => {
      const instances = await apiList('v1/instances');
      const attribute = (instances[0]?.entity['attributes'] as { name: string; value: string }[]).find((a) => a.value !== '');
      expect(attribute).toBeDefined();
      const count = async (args: string[]) => (await cli(['get', 'instances', '-o', 'ndjson', ...args])).out.split('\n').filter(Boolean).length;
      const withValue = instances.filter((i) => (i.entity['attributes'] as { name: string; value: string }[]).some((a) => a.name === attribute?.name && a.value === attribute.value));
      expect(await count(['-l', `${attribute?.name}=${attribute?.value}`])).toBe(withValue.length);
      expect(await count(['-l', String(attribute?.name)])).toBe(instances.length);
      expect(await count(['-l', 'agentConnected=false'])).toBe(0);
      expect(await count(['-l', 'agentConnected=true', '--cluster', 'workload-1'])).toBe(INSTANCES_PER_CLUSTER);
    });
  });

  describe('describe', () => {
    it('shows a stopped task by id or ARN: statuses, stop code and reason, containers', async () => {
      const arn = await world.runTask('workload-1');
      await world.until('the task running', async () => ((await apiList('v1/tasks?cluster=workload-1&status=RUNNING')).some((t) => t.entity['taskARN'] === arn) ? true : undefined));
      await world.stopTask('workload-1', arn, 'Scaled in by the test');
      await world.until('the task stopped', async () => ((await apiList('v1/tasks?cluster=workload-1&status=STOPPED')).some((t) => t.entity['taskARN'] === arn) ? true : undefined));

      const byId = await cli(['describe', 'task', 'workload-1', idOf(arn)], { columns: 120 });
      expect(byId).toMatchObject({ code: 0, err: '' });
      const fields = Object.fromEntries(
        byId.out
          .split('\n')
          .filter((line) => /^[A-Z][\w /]*: /.test(line))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
      );
      expect(fields).toMatchObject({
        Task: arn,
        'Task definition': 'workload-ec2:1',
        'Last status': 'STOPPED',
        'Desired status': 'STOPPED',
        'Launch type': 'EC2',
        'Stop code': 'UserInitiated',
        'Stopped reason': 'Scaled in by the test',
        Stopped: expect.stringMatching(/^\d{4}-\d\d-\d\dT.* \(\d+s ago\)$/),
      });
      const containers = readTable(byId.out.slice(byId.out.indexOf('Containers:\n') + 'Containers:\n'.length).replace(/^ {2}/gm, ''));
      expect(containers.rows).toEqual([expect.objectContaining({ NAME: 'app', STATUS: 'STOPPED' })]);

      const byArn = await cli(['describe', 'task', 'workload-1', arn], { columns: 120 });
      expect(byArn.out).toBe(byId.out);
      const json = await cli(['describe', 'task', 'workload-1', idOf(arn), '-o', 'json']);
      expect((JSON.parse(json.out) as Item).entity['stoppedReason']).toBe('Scaled in by the test');
    });

    it('shows an instance: resources registered, remaining and used, attributes and the tasks placed on it', async () => {
      const [instance] = await apiList('v1/instances?cluster=workload-0');
      const id = idOf(instance?.entity['containerInstanceARN']);
      const placed = await apiList(`v1/tasks?cluster=workload-0&containerInstance=${id}`);
      expect(placed.length).toBeGreaterThan(0);

      const result = await cli(['describe', 'instance', 'workload-0', id], { columns: 160 });
      expect(result).toMatchObject({ code: 0, err: '' });
      expect(result.out.split('\n')[0]).toBe(`Container instance: ${String(instance?.entity['containerInstanceARN'])}`);
      expect(result.out).toMatch(/^Agent: +connected$/m);
      const section = (name: string, next: string) =>
        result.out.slice(result.out.indexOf(`${name}:\n`) + name.length + 2, next === '' ? undefined : result.out.indexOf(`${next}:\n`)).replace(/^ {2}/gm, '');
      const resources = readTable(section('Resources', 'Attributes'));
      const cpu = resources.rows.find((r) => r['NAME'] === 'CPU');
      expect(Number(cpu?.['REGISTERED']) - Number(cpu?.['REMAINING'])).toBe(Number(cpu?.['USED']?.split(' ')[0]));
      expect(section('Attributes', 'Tasks')).toMatch(/^ecs\.\S+=\S+$/m);
      const tasks = readTable(section('Tasks', ''));
      expect(new Set(tasks.rows.map((r) => r['TASK']))).toEqual(new Set(placed.map((t) => idOf(t.entity['taskARN']))));
    });

    it('says when there is no such task or instance (exit 1)', async () => {
      const missing = await cli(['describe', 'task', 'workload-0', '0123456789abcdef0123456789abcdef']);
      expect(missing).toEqual({ code: 1, out: '', err: 'ecs-state: no task 0123456789abcdef0123456789abcdef in cluster workload-0' });
      const arn = 'arn:aws:ecs:us-east-1:000000000000:container-instance/workload-0/0123456789abcdef0123456789abcdef';
      const missingArn = await cli(['describe', 'instance', 'workload-0', arn]);
      expect(missingArn).toEqual({ code: 1, out: '', err: `ecs-state: no container instance ${arn} in cluster workload-0` });
    });
  });

  describe('top instances', () => {
    it('shows CPU and memory reserved per instance, fullest first', async () => {
      // Fill one cluster's instances more than the other's.
      const running = async () => (await apiList('v1/instances')).reduce((n, i) => n + Number(i.entity['runningTasksCount']), 0);
      const before = await running();
      for (let i = 0; i < 4; i++) await world.runTask('workload-1');
      await world.until('the new tasks on the instances', async () => ((await running()) >= before + 4 ? true : undefined));
      const instances = await apiList('v1/instances');
      const result = await cli(['top', 'instances'], { columns: 200 });
      expect(result.code).toBe(0);
      const table = readTable(result.out);
      expect(table.headers).toEqual(['CLUSTER', 'INSTANCE', 'STATUS', 'TASKS', 'CPU(units)', 'CPU%', 'MEMORY(MiB)', 'MEMORY%']);
      expect(table.rows).toHaveLength(CLUSTERS.length * INSTANCES_PER_CLUSTER);
      const shares = table.rows.map((r) => Math.max(parseInt(r['CPU%'] ?? '', 10), parseInt(r['MEMORY%'] ?? '', 10)));
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
      expect(shares[0]).toBeGreaterThan(shares[shares.length - 1] ?? 0);
      for (const { entity } of instances) {
        const row = table.rows.find((r) => r['INSTANCE'] === idOf(entity['containerInstanceARN']));
        const memory = (list: unknown) => Number((list as { name: string; value: string }[]).find((r) => r.name === 'MEMORY')?.value);
        const used = memory(entity['registeredResources']) - memory(entity['remainingResources']);
        expect(row?.['MEMORY(MiB)']).toBe(`${used}/${memory(entity['registeredResources'])}`);
        expect(row?.['MEMORY%']).toBe(`${Math.round((100 * used) / memory(entity['registeredResources']))}%`);
      }
      const one = readTable((await cli(['top', 'instances', '--cluster', 'workload-0'])).out);
      expect(one.rows.map((r) => r['CLUSTER'])).toEqual(['workload-0', 'workload-0']);
    });
  });

  describe('errors', () => {
    it("prints the API's message for a filter it rejects (exit 2) and a refused token (exit 4), each in one line", async () => {
      const invalid = await cli(['get', 'tasks', '--status', 'sleeping']);
      expect(invalid).toEqual({ code: 2, out: '', err: 'ecs-state: the API answered 400: Invalid status' });
      const token = await cli(['top', 'instances'], { env: { ...world.env, ECS_STATE_TOKEN: 'wrong' } });
      expect(token.code).toBe(4);
      expect(token.err).toBe('ecs-state: the API refused the token (401 Unauthorized): it is not one of the API_TOKENS of the API; check --token or ECS_STATE_TOKEN');
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise((resolve) => server.close(resolve));
      const closed = await cli(['get', 'instances', '--url', `http://127.0.0.1:${port}`]);
      expect(closed.code).toBe(4);
      expect(closed.err).toBe(`ecs-state: could not reach the API at http://127.0.0.1:${port}/ (connection refused); check --url or ECS_STATE_URL`);
    });

    it.each([
      [['get']],
      [['get', 'deployments']],
      [['get', 'tasks', '-o', 'yaml']],
      [['get', 'instances', '--family', 'web']],
      [['get', 'tasks', '-l', 'color=blue']],
      [['get', 'tasks', '-l', 'group']],
      [['get', 'tasks', '-l', 'group=a', '-l', 'group=b']],
      [['get', 'tasks', '--cluster', 'a', '--cluster', 'b']],
      [['get', 'tasks', '--cluster', 'no/slash']],
      [['get', 'instances', '-l', 'agentConnected=maybe']],
      [['describe', 'task', 'workload-0']],
      [['describe', 'pod', 'workload-0', 'x']],
      [['describe', 'task', 'workload-0', 'x', '-o', 'wide']],
      [['top', 'tasks']],
      [['get', 'tasks', '--api-url', 'http://127.0.0.1:3000']],
    ])('refuses %j with the usage text and exit 2, before any request', async (args) => {
      const result = await cli(args, { env: { ECS_STATE_URL: 'http://127.0.0.1:9' } });
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/^ecs-state: .+\n\nUsage:\n {2}ecs-state get tasks\|instances/);
      expect(result.out).toBe('');
    });
  });

  describe('get --watch', () => {
    it('prints the list, then each change from its revision: a task starting and stopping, and a delete', async () => {
      const controller = new AbortController();
      const lines: string[] = [];
      let deleted: Promise<void> | undefined;
      const [victim] = await apiList('v1/tasks?cluster=workload-1&launchType=EC2');
      const io: Partial<CliIo> = {
        columns: 200,
        signal: controller.signal,
        pageSize: 1,
        out: (line) => {
          lines.push(line);
          // Deleted while the list is still being read: only a stream from the list's revision shows it.
          if (lines.length === 2) deleted = world.deleteTask(String(victim?.entity['clusterARN']), String(victim?.entity['taskARN']));
        },
        err: (line) => lines.push(`stderr: ${line}`),
      };
      const watching = runCli(['get', 'tasks', '--cluster', 'workload-1', '--watch'], { env: world.env, ...io } as CliIo);
      const seen = (predicate: (row: Record<string, string>) => boolean) =>
        world.until('a watch line', async () => readTable(lines.join('\n')).rows.find(predicate));

      const listedCount = (await apiList('v1/tasks?cluster=workload-1')).length;
      await seen((row) => row['EVENT'] === 'DELETED' && row['TASK'] === idOf(victim?.entity['taskARN']));
      await deleted;
      const table = readTable(lines.join('\n'));
      expect(table.headers[0]).toBe('EVENT');
      expect(table.rows.filter((r) => r['EVENT'] === '')).toHaveLength(listedCount);

      const arn = await world.runTask('workload-1', { group: 'service:watched' });
      const other = await world.runTask('workload-0');
      const id = idOf(arn);
      await seen((row) => row['TASK'] === id && row['EVENT'] === 'ADDED');
      await seen((row) => row['TASK'] === id && row['EVENT'] === 'MODIFIED' && row['LAST'] === 'RUNNING');
      await world.stopTask('workload-1', arn, 'Stopped by the watch test');
      await seen((row) => row['TASK'] === id && row['EVENT'] === 'MODIFIED' && row['LAST'] === 'STOPPED');

      controller.abort();
      expect(await watching).toBe(0);
      const rows = readTable(lines.join('\n')).rows;
      // Another cluster's changes are not this watch's.
      expect(rows.some((r) => r['TASK'] === idOf(other))).toBe(false);
      expect(rows.filter((r) => r['TASK'] === id).map((r) => r['EVENT'])[0]).toBe('ADDED');
      expect(lines.filter((l) => l.startsWith('stderr:'))).toEqual([]);
    });

    it('-o ndjson: the listed items, then the stream items, tombstones marked deleted', async () => {
      const controller = new AbortController();
      const lines: string[] = [];
      const watching = runCli(['get', 'tasks', '--cluster', 'workload-0', '-o', 'ndjson', '--watch'], {
        env: world.env,
        signal: controller.signal,
        out: (line) => lines.push(line),
        err: (line) => lines.push(line),
      });
      const listed = (await apiList('v1/tasks?cluster=workload-0')).length;
      await world.until('the list', async () => (lines.length >= listed ? true : undefined));
      const arn = await world.runTask('workload-0', { launchType: 'FARGATE' });
      const items = () => lines.map((line) => JSON.parse(line) as Item);
      const started = await world.until('the task', async () => items().find((i) => i.entity['taskARN'] === arn));
      await world.deleteTask(String(started.entity['clusterARN']), arn);
      const tombstone = await world.until('its tombstone', async () => items().find((i) => i.entity['taskARN'] === arn && i.metadata.deleted === true));
      expect(Number(tombstone.metadata.entityVersion)).toBeGreaterThan(Number(started.metadata.entityVersion));
      controller.abort();
      expect(await watching).toBe(0);
    });
  });
});
