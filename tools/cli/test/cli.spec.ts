import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { runCli } from '../src/run-cli';
import type { RunView } from '../src/run-view';
import { startCliWorld, TOKEN, type CliWorld } from './support/cli-world';

jest.setTimeout(120_000);

const BIN = join(__dirname, '../bin/ecs-state.cjs');

interface Outcome {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[], env: Record<string, string>, requestTimeoutMs?: number): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env, out: (t) => out.push(t), err: (t) => err.push(t), pollMs: 50, ...(requestTimeoutMs ? { requestTimeoutMs } : {}) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The command as a user runs it: the bin file, in a process of its own. */
function bin(args: string[], env: Record<string, string>): Promise<Outcome> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: __dirname, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, out, err })));
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('ecs-state CLI, through the REST API', () => {
  let world: CliWorld;
  let env: Record<string, string>;

  beforeAll(async () => {
    world = await startCliWorld(['alpha', 'beta']);
    env = { ECS_STATE_URL: world.apiUrl, ECS_STATE_TOKEN: TOKEN };
  });

  afterAll(async () => {
    await world?.close();
  });

  afterEach(() => {
    world.sim.faults.replace({});
  });

  it('requests a reconcile, shows progress one cluster at a time on stderr, and prints the drift report', async () => {
    // Slow ECS calls: each cluster takes over a second, many polls even on a busy machine, so every step of progress is seen.
    world.sim.faults.update({ ecs: { latencyMs: 500 } });
    const result = await cli(['reconcile', '--cluster', 'alpha', '--cluster', 'beta', '--wait'], env);

    expect(result.code).toBe(0);
    const view = JSON.parse(result.out) as RunView;
    expect(view.state).toBe('completed');
    expect(view.report?.clusters.map((c) => [c.cluster, c.outcome])).toEqual([
      [world.clusterArn('alpha'), 'reconciled'],
      [world.clusterArn('beta'), 'reconciled'],
    ]);
    const lines = result.err.split('\n');
    expect(lines[0]).toBe(`run ${view.id}: requested`);
    // The run may be seen between its last cluster and its report (`running, 2/2`).
    const progress = lines.filter((line) => line.includes('clusters done') && !line.endsWith('running, 2/2 clusters done'));
    expect(progress).toEqual([`run ${view.id}: running, 0/2 clusters done`, `run ${view.id}: running, 1/2 clusters done`, `run ${view.id}: completed, 2/2 clusters done`]);
    expect(new Set(lines).size).toBe(lines.length);

    const status = await cli(['status', view.id], env);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.out) as RunView).report).toEqual(view.report);
  });

  it('without --wait prints the run id at once; status follows the run', async () => {
    const result = await cli(['reconcile'], env);
    expect(result.code).toBe(0);
    const { id, coalesced } = JSON.parse(result.out) as { id: string; coalesced: boolean };
    expect(coalesced).toBe(false);
    let view: RunView | undefined;
    for (let i = 0; i < 200 && view?.state !== 'completed'; i++) {
      const status = await cli(['status', id], env);
      expect(status.code).toBe(0);
      view = JSON.parse(status.out) as RunView;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(view).toMatchObject({ id, state: 'completed', requestedClusters: null, plannedClusters: 2 });
  });

  it('names the clusters that neither ECS nor the store knows and exits 1', async () => {
    const phantom = 'arn:aws:ecs:us-east-1:000000000000:cluster/phantom';
    const result = await cli(['reconcile', '--cluster', 'alpha', '--cluster', 'ghost', '--cluster', phantom, '--wait'], env);

    expect(result.code).toBe(1);
    expect(result.err).toContain('ecs-state: cluster ghost is not known to ECS or the store');
    expect(result.err).toContain(`ecs-state: cluster ${phantom} is not known to ECS or the store`);
    expect(result.err).not.toMatch(/cluster alpha|cluster\/alpha/);
    const view = JSON.parse(result.out) as RunView;
    expect(view.report?.clusters.find((c) => c.cluster === world.clusterArn('alpha'))?.outcome).toBe('reconciled');

    // status judges a finished run the same way.
    const status = await cli(['status', view.id], env);
    expect(status.code).toBe(1);
    expect(status.err).toContain('cluster ghost is not known to ECS or the store');
  });

  it('reports a cluster whose reconcile failed and exits 1', async () => {
    // One ECS call, the planning's, goes through; the cluster's own calls are throttled.
    world.sim.faults.update({ ecs: { throttleRps: 0.001, throttleBurst: 1 } });
    const result = await cli(['reconcile', '--cluster', 'beta', '--wait'], env);

    expect(result.code).toBe(1);
    expect(result.err).toMatch(/: completed, 1\/1 clusters done \(1 failed\)/);
    expect(result.err).toContain(`ecs-state: cluster ${world.clusterArn('beta')} failed: `);
    expect((JSON.parse(result.out) as RunView).report?.totals.failedClusters).toBe(1);
  });

  it('says when the token is missing or wrong (exit 4)', async () => {
    const wrong = await cli(['status', randomUUID()], { ...env, ECS_STATE_TOKEN: 'not-the-token' });
    expect(wrong.code).toBe(4);
    expect(wrong.err).toContain('the API refused the token (401 Unauthorized)');

    const missing = await cli(['reconcile'], { ECS_STATE_URL: world.apiUrl });
    expect(missing.code).toBe(4);
    expect(missing.err).toContain('the API needs a token (401 Unauthorized): set ECS_STATE_TOKEN or pass --token');

    // The flag wins over the variable.
    const flagged = await cli(['status', randomUUID(), '--token', TOKEN], { ...env, ECS_STATE_TOKEN: 'not-the-token' });
    expect(flagged.code).toBe(1);
  });

  it("prints the API's message for a request it rejects (exit 2), and says when a run is unknown (exit 1)", async () => {
    const invalid = await cli(['reconcile', '--cluster', 'no/slash'], env);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain('the API answered 400: Invalid cluster ARN or name');

    const id = randomUUID();
    const unknown = await cli(['status', id], env);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain(`no run ${id} (unknown or expired)`);
  });

  it('says the API could not be reached: closed port, or no answer in time (exit 4)', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const refused = await cli(['reconcile', '--wait', '--url', `http://127.0.0.1:${port}`], env);
    expect(refused.code).toBe(4);
    expect(refused.err).toContain(`could not reach the API at http://127.0.0.1:${port}/ (connection refused)`);

    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const silentPort = await listen(silent);
    try {
      const hung = await cli(['status', randomUUID()], { ...env, ECS_STATE_URL: `http://127.0.0.1:${silentPort}` }, 300);
      expect(hung.code).toBe(4);
      expect(hung.err).toContain(`could not reach the API at http://127.0.0.1:${silentPort}/ (no answer within 0.3 s)`);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('gives up waiting after --timeout with exit 3, naming the run to follow', async () => {
    const result = await cli(['reconcile', '--wait', '--timeout', '1', '--url', world.idleApiUrl], env);
    expect(result.code).toBe(3);
    const id = /^run (\S+): requested/.exec(result.err)?.[1];
    expect(result.err).toContain(`run ${id}: queued`);
    expect(result.err).toContain(`run ${id} did not finish within 1 s; it goes on: follow it with \`ecs-state status ${id}\``);
  });

  it.each([
    [['frobnicate']],
    [['status']],
    [['status', 'a', 'b']],
    [['reconcile', 'alpha']],
    [['reconcile', '--bogus']],
    [['reconcile', '--wait', '--timeout', 'soon']],
    [['reconcile', '--timeout', '5']],
    [['reconcile', '--url', 'ftp://example.com']],
    [['reconcile', '--url', 'not a url']],
  ])('refuses %j with the usage text and exit 2, before any request', async (args) => {
    // An unreachable API: a usage error must be found before it is asked anything.
    const result = await cli(args, { ECS_STATE_URL: 'http://127.0.0.1:9' });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^ecs-state: .+\n\nUsage:\n {2}ecs-state get tasks\|instances/);
    expect(result.out).toBe('');
  });

  describe('the ecs-state command (tools/cli/bin/ecs-state.cjs)', () => {
    it('prints the usage naming ecs-state with --help and exits 0', async () => {
      const result = await bin(['--help'], {});
      expect(result.code).toBe(0);
      expect(result.out).toContain('Usage:\n  ecs-state get tasks|instances');
      expect(result.out).toContain('ecs-state reconcile [--cluster <name|arn>]...');
      expect(result.out).toContain('ecs-state status <run-id>');
      expect(result.err).toBe('');
    });

    it('reconciles through the API from any working directory, with the exit status of the run', async () => {
      const ok = await bin(['reconcile', '--cluster', 'alpha', '--wait'], env);
      expect(ok.err).toMatch(/completed, 1\/1 clusters done\n$/);
      expect(ok.code).toBe(0);
      expect((JSON.parse(ok.out) as RunView).state).toBe('completed');

      const unknown = await bin(['reconcile', '--cluster', 'ghost', '--wait'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain('cluster ghost is not known to ECS or the store');
    });
  });
});
