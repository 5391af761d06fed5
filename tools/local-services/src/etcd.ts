import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries, ETCD } from './ensure-binaries';
import { freePort } from './free-port';
import { ServerProcess, waitUntilReady } from './server-process';

export interface EtcdOptions {
  /** Client port; a free one when omitted. */
  port?: number;
  /** Data directory; a temporary one, removed on stop(), when omitted. */
  dataDir?: string;
  /** `--quota-backend-bytes`; etcd's default (2 GiB) when omitted. A few MiB fill in seconds, for tests of a full etcd. */
  quotaBackendBytes?: number;
  /** `--max-request-bytes`; etcd's default (1.5 MiB) when omitted. Small values prove that writers cut their requests. */
  maxRequestBytes?: number;
  /** `--max-txn-ops`; etcd's default (128) when omitted. */
  maxTxnOps?: number;
}

/** A single-member etcd on loopback. restart() keeps its port and data. */
export interface EtcdServer {
  /** `http://127.0.0.1:<port>`, the value for ETCD_ENDPOINTS. */
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  /** Graceful stop (SIGTERM); removes a temporary data directory. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would; data stays for restart(). */
  kill(): Promise<void>;
  /** Stops (if running) and starts again on the same port and data. */
  restart(): Promise<void>;
  /** Starts again after stop(keepData)/kill(). */
  start(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers, as with a hung server; resume() ends it. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  readonly running: boolean;
}

async function healthy(endpoint: string): Promise<boolean> {
  const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
  if (!res.ok) return false;
  const body = (await res.json()) as { health?: string };
  return body.health === 'true';
}

export async function startEtcd(options: EtcdOptions = {}): Promise<EtcdServer> {
  const { etcd: binary } = ensureBinaries([ETCD]) as { etcd: string };
  const port = options.port ?? (await freePort());
  const peerPort = await freePort();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ecs-state-etcd-'));
  const endpoint = `http://127.0.0.1:${port}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const name = `test-${port}`;
  const proc = new ServerProcess('etcd', binary, [
    '--name', name,
    '--data-dir', dataDir,
    '--listen-client-urls', endpoint,
    '--advertise-client-urls', endpoint,
    '--listen-peer-urls', peer,
    '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `${name}=${peer}`,
    '--log-level', 'warn',
    ...(options.quotaBackendBytes === undefined ? [] : ['--quota-backend-bytes', String(options.quotaBackendBytes)]),
    ...(options.maxRequestBytes === undefined ? [] : ['--max-request-bytes', String(options.maxRequestBytes)]),
    ...(options.maxTxnOps === undefined ? [] : ['--max-txn-ops', String(options.maxTxnOps)]),
  ]);

  const start = async () => {
    proc.start();
    await waitUntilReady(proc, () => healthy(endpoint));
  };
  await start();

  return {
    endpoint,
    port,
    dataDir,
    get running() {
      return proc.running;
    },
    start,
    pause: () => proc.pause(),
    resume: () => proc.resume(),
    async stop() {
      await proc.stop('SIGTERM');
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
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
