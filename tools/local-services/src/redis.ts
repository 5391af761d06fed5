import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries, REDIS } from './ensure-binaries';
import { freePort } from './free-port';
import type { ServerControls } from './server-controls';
import { onFreePorts, ServerProcess, waitUntilReady } from './server-process';

export interface RedisOptions {
  port?: number;
  /** Keep data across restart() (append-only file), as a real deployment would. */
  persistent?: boolean;
}

export interface RedisServer extends ServerControls {
  /** `redis://127.0.0.1:<port>`, the value for REDIS_URL. */
  readonly url: string;
  readonly port: number;
}

/**
 * Whether the Redis at `port` answers PING and is the process `pid`. A port picked as
 * free can be taken by another server before redis-server binds it (the suites of a
 * test run start many at once); redis-server then exits, and until it has, that other
 * server's PONG would pass for this one's.
 */
function answersAs(port: number, pid: number | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\nINFO server\r\n'));
    socket.on('data', (data) => {
      received += data.toString();
      if (received.length >= 5 && !received.startsWith('+PONG')) return done(false);
      const processId = /\r\nprocess_id:(\d+)\r\n/.exec(received);
      if (processId) done(Number(processId[1]) === pid);
    });
  });
}

export function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  return options.port === undefined ? onFreePorts(() => startRedisOnce(options)) : startRedisOnce(options);
}

async function startRedisOnce(options: RedisOptions): Promise<RedisServer> {
  const { 'redis-server': binary } = ensureBinaries([REDIS]) as { 'redis-server': string };
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'ecs-state-redis-'));
  const proc = new ServerProcess('redis-server', binary, [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', options.persistent ? 'yes' : 'no',
    // BullMQ requires that Redis never evicts its keys.
    '--maxmemory-policy', 'noeviction',
    '--loglevel', 'warning',
  ]);
  const start = async () => {
    proc.start();
    await waitUntilReady(proc, () => answersAs(port, proc.pid));
  };
  try {
    await start();
  } catch (error) {
    await proc.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return proc.running;
    },
    start,
    pause: () => proc.pause(),
    resume: () => proc.resume(),
    async stop() {
      await proc.stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      await proc.stop('SIGKILL');
    },
    async restart() {
      await proc.stop('SIGTERM');
      await start();
    },
  };
}
