import { runCli, type CliIo } from '../src/run-cli';
import { TOKEN } from './support/cli-world';
import { startServicesWorld, type ServicesWorld } from './support/services-world';
import { runCaptured, type Outcome } from './support/run-captured';
import { readTable } from './support/table-text';

jest.setTimeout(120_000);

type Entity = Record<string, unknown>;
interface Deployment {
  id: string;
  status?: string;
  rolloutState?: string;
}
const deploymentsOf = (entity: Entity) => (entity['deployments'] ?? []) as Deployment[];

describe('ecs-state get and describe services, through the REST API', () => {
  let world: ServicesWorld;

  const cli = (args: string[], io: Partial<CliIo> = {}): Promise<Outcome> => runCaptured(args, world.env, io);

  async function apiGet(path: string): Promise<Entity | undefined> {
    const response = await fetch(`${world.apiUrl}/${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return response.status === 200 ? ((await response.json()) as { entity: Entity }).entity : undefined;
  }

  /** Waits until every deployment of both services has settled and the store has their described counts. */
  async function untilSettled(what: string, web: (entity: Entity) => boolean): Promise<void> {
    await world.until(what, async () => {
      await world.describeIntoStore();
      const [shop, batch] = await Promise.all([apiGet('v1/services/shop/web'), apiGet('v1/services/batch/worker')]);
      const settled = (entity: Entity | undefined) =>
        entity !== undefined && entity['runningCount'] === entity['desiredCount'] && deploymentsOf(entity).every((d) => d.rolloutState !== 'IN_PROGRESS');
      return settled(shop) && settled(batch) && web(shop as Entity) ? true : undefined;
    });
  }

  beforeAll(async () => {
    world = await startServicesWorld();
    await untilSettled('both services at their desired count', (web) => deploymentsOf(web)[0]?.rolloutState === 'COMPLETED');
  });

  afterAll(async () => {
    await world?.close();
  });

  it('get services prints one row per service: counts, the PRIMARY rollout, task definition, launch', async () => {
    const result = await cli(['get', 'services'], { columns: 200 });
    expect(result).toMatchObject({ code: 0, err: '' });
    const table = readTable(result.out);
    expect(table.headers).toEqual(['CLUSTER', 'SERVICE', 'STATUS', 'DESIRED', 'RUNNING', 'PENDING', 'ROLLOUT', 'TASK DEFINITION', 'LAUNCH', 'AGE']);
    const rows = table.rows.map(({ AGE, ...row }) => {
      expect(AGE).toMatch(/^\d+[smhd]$/);
      return row;
    });
    expect(rows).toEqual(
      expect.arrayContaining([
        { CLUSTER: 'shop', SERVICE: 'web', STATUS: 'ACTIVE', DESIRED: '2', RUNNING: '2', PENDING: '0', ROLLOUT: 'COMPLETED', 'TASK DEFINITION': 'web:1', LAUNCH: 'EC2' },
        { CLUSTER: 'batch', SERVICE: 'worker', STATUS: 'ACTIVE', DESIRED: '1', RUNNING: '1', PENDING: '0', ROLLOUT: 'COMPLETED', 'TASK DEFINITION': 'worker:1', LAUNCH: 'EC2' },
      ]),
    );
    expect(rows).toHaveLength(2);

    const wide = readTable((await cli(['get', 'services', '-o', 'wide', '--cluster', 'shop'], { columns: 300 })).out);
    const web = await apiGet('v1/services/shop/web');
    expect(wide.rows).toEqual([
      expect.objectContaining({
        SERVICE: 'web',
        DEPLOYMENTS: String(deploymentsOf(web as Entity).length),
        'PRIMARY DEPLOYMENT': deploymentsOf(web as Entity).find((d) => d.status === 'PRIMARY')?.id,
        'LAST EVENT': (web?.['events'] as { eventName: string }[])[0]?.eventName,
      }),
    ]);
  });

  it('passes --cluster, --status and -l launchType / rolloutState to the API; -l service= lists a service\'s tasks', async () => {
    const names = async (args: string[]) =>
      (await cli(['get', 'services', '-o', 'ndjson', ...args])).out
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { entity: Entity }).entity['serviceName'])
        .sort();
    expect(await names([])).toEqual(['web', 'worker']);
    expect(await names(['--cluster', 'batch'])).toEqual(['worker']);
    expect(await names(['--status', 'active', '-l', 'rolloutState=completed'])).toEqual(['web', 'worker']);
    expect(await names(['-l', 'rolloutState=FAILED'])).toEqual([]);
    expect(await names(['-l', 'launchType=fargate'])).toEqual([]);
    expect(await names(['--status', 'draining'])).toEqual([]);

    const truth = world.sim.ecs
      ?.groundTruth()
      .tasks.filter((task) => task.group === 'service:web')
      .map((task) => task.taskArn)
      .sort();
    expect(truth).toHaveLength(2);
    const tasks = (await cli(['get', 'tasks', '-o', 'ndjson', '--cluster', 'shop', '-l', 'service=web'])).out
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { entity: Entity }).entity['taskARN'])
      .sort();
    expect(tasks).toEqual(truth);

    const bad = await cli(['get', 'services', '-l', 'group=x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('services take -l <key>=<value> with a key among launchType, rolloutState');
    expect((await cli(['get', 'services', '--family', 'web'])).code).toBe(2);
    const refused = await cli(['get', 'services', '-l', 'rolloutState=sideways']);
    expect(refused).toMatchObject({ code: 2, err: expect.stringMatching(/^ecs-state: .*rollout/i) });
  });

  it('--watch shows the failing rollout, then the circuit breaker rolling back; describe shows the deployments and the events', async () => {
    const controller = new AbortController();
    const out: string[] = [];
    const watching = runCli(['get', 'services', '--cluster', 'shop', '--watch'], {
      env: world.env,
      out: (t) => out.push(t),
      err: () => undefined,
      signal: controller.signal,
      columns: 300,
    });
    const first = deploymentsOf((await apiGet('v1/services/shop/web')) as Entity)[0]?.id;
    await world.until('the list printed', async () => (out.length > 0 ? true : undefined));

    await world.updateWeb('web:2');
    // What the events tell, before any DescribeServices: web:2 FAILED, the rollback to web:1 COMPLETED.
    const told = await world.until('the rollback COMPLETED', async () => {
      const web = await apiGet('v1/services/shop/web');
      const [rollback, failing] = web === undefined ? [] : deploymentsOf(web);
      return rollback?.rolloutState === 'COMPLETED' && failing?.rolloutState === 'FAILED' && failing.id !== first ? web : undefined;
    });
    const [rollback, failing] = deploymentsOf(told) as [Deployment, Deployment];

    const section = (lines: string[], title: string, next: string | undefined) => {
      const from = lines.indexOf(title);
      expect(from).toBeGreaterThan(0);
      const to = next === undefined ? lines.length : lines.indexOf(next);
      return readTable(lines.slice(from + 1, to).map((line) => line.slice(2)).join('\n')).rows;
    };
    const described = await cli(['describe', 'service', 'shop', 'web'], { columns: 400 });
    expect(described).toMatchObject({ code: 0, err: '' });
    let lines = described.out.split('\n');
    expect(lines[0]).toBe(`Service:         ${String(told['serviceARN'])}`);
    expect(lines).toContain('Deployment:      minimum healthy 100%, maximum 200%, circuit breaker on, rolls back');
    let deployments = section(lines, 'Deployments:', 'Events:');
    expect(deployments.map((d) => [d['ID'], d['ROLLOUT']])).toEqual(deploymentsOf(told).map((d) => [d.id, d.rolloutState ?? '-']));
    expect(deployments[0]).toMatchObject({ ID: rollback.id, ROLLOUT: 'COMPLETED' });
    expect(deployments[1]).toMatchObject({ ID: failing.id, ROLLOUT: 'FAILED', REASON: expect.stringMatching(/circuit breaker/) });
    const events = section(lines, 'Events:', undefined);
    expect(events.map((e) => e['EVENT'])).toEqual((told['events'] as { eventName: string }[]).map((e) => e.eventName));
    expect(events).toContainEqual(expect.objectContaining({ TYPE: 'ERROR', EVENT: 'SERVICE_DEPLOYMENT_FAILED', DEPLOYMENT: failing.id }));

    // A DescribeServices later: the counts, and the rollback as ECS lists it, PRIMARY on web:1.
    await untilSettled('the rollback described', (web) => deploymentsOf(web)[0]?.id === rollback.id && deploymentsOf(web)[0]?.status === 'PRIMARY');
    lines = (await cli(['describe', 'service', 'shop', 'web'], { columns: 400 })).out.split('\n');
    expect(lines).toContain('Tasks:           2 desired, 2 running, 0 pending');
    expect(lines).toContain('Task definition: web:1');
    deployments = section(lines, 'Deployments:', 'Events:');
    expect(deployments[0]).toMatchObject({ ID: rollback.id, STATUS: 'PRIMARY', ROLLOUT: 'COMPLETED', 'TASK DEFINITION': 'web:1', DESIRED: '2', RUNNING: '2' });

    await world.until('the watch saw the rollback described', async () => {
      const last = readTable(out.join('\n')).rows.at(-1);
      return last?.['ROLLOUT'] === 'COMPLETED' && last['RUNNING'] === '2' && last['EVENT'] === 'MODIFIED' ? true : undefined;
    });
    controller.abort();
    expect(await watching).toBe(0);
    const rows = readTable(out.join('\n')).rows;
    expect(rows[0]).toMatchObject({ EVENT: '', SERVICE: 'web', ROLLOUT: 'COMPLETED', 'TASK DEFINITION': 'web:1' });
    const changes = rows.slice(1);
    expect(changes.every((row) => row['EVENT'] === 'MODIFIED' && row['SERVICE'] === 'web')).toBe(true);
    // web:2 rolling out, then the rollback completed.
    const inProgress = changes.findIndex((row) => row['ROLLOUT'] === 'IN_PROGRESS');
    expect(inProgress).toBeGreaterThanOrEqual(0);
    expect(changes.slice(inProgress).some((row) => row['ROLLOUT'] === 'COMPLETED')).toBe(true);

    // By ARN too, and as the API's item with -o json.
    const after = (await apiGet('v1/services/shop/web')) as Entity;
    const byArn = await cli(['describe', 'service', 'shop', String(after['serviceARN']), '-o', 'json']);
    expect(JSON.parse(byArn.out)).toMatchObject({ entity: { serviceARN: after['serviceARN'], deployments: deploymentsOf(after) } });
  });

  it('says when there is no such service (exit 1)', async () => {
    expect(await cli(['describe', 'service', 'shop', 'nope'])).toMatchObject({ code: 1, err: 'ecs-state: no service nope in cluster shop' });
    expect(await cli(['get', 'services', '--cluster', 'nowhere'])).toMatchObject({ code: 0, out: '', err: 'no services found' });
  });
});
