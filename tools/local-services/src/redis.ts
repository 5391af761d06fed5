import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries, REDIS } from './ensure-binaries';
import { freePort } from './free-port';
import type { ServerControls } from './server-controls';
import { ServerProcess, waitUntilReady } from './server-process';

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

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
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
    await waitUntilReady(proc, () => ping(port));
  };
  await start();
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
