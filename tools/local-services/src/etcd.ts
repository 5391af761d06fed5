import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdMember, loopbackUrl, type EtcdTuning } from './etcd-member';
import { freePort } from './free-port';
import type { ServerControls } from './server-controls';
import { onFreePorts } from './server-process';

export interface EtcdOptions extends EtcdTuning {
  /** Client port; a free one when omitted. */
  port?: number;
  /** Data directory; a temporary one, removed on stop(), when omitted. */
  dataDir?: string;
}

/** A single-member etcd on loopback. restart() keeps its port and data. */
export interface EtcdServer extends ServerControls {
  /** `http://127.0.0.1:<port>`, the value for ETCD_ENDPOINTS. */
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  /** Graceful stop (SIGTERM); removes a temporary data directory. */
  stop(): Promise<void>;
}

export function startEtcd(options: EtcdOptions = {}): Promise<EtcdServer> {
  // A port or data directory the caller chose stays as it is: a retry could only repeat the failure
  // (or start from data that names the first attempt's peer port).
  const picksAll = options.port === undefined && options.dataDir === undefined;
  return picksAll ? onFreePorts(() => startEtcdOnce(options)) : startEtcdOnce(options);
}

async function startEtcdOnce(options: EtcdOptions): Promise<EtcdServer> {
  const { port: chosenPort, dataDir: chosenDataDir, ...tuning } = options;
  const port = chosenPort ?? (await freePort());
  const peerPort = await freePort();
  const ownsDataDir = chosenDataDir === undefined;
  const dataDir = chosenDataDir ?? mkdtempSync(join(tmpdir(), 'ecs-state-etcd-'));
  const name = `test-${port}`;
  const member = etcdMember({
    name,
    clientPort: port,
    peerPort,
    dataDir,
    initialCluster: `${name}=${loopbackUrl(peerPort)}`,
    clusterToken: name,
    tuning,
  });
  try {
    await member.start();
  } catch (error) {
    await member.stop('SIGKILL');
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    endpoint: member.endpoint,
    port,
    dataDir,
    get running() {
      return member.running;
    },
    start: () => member.start(),
    pause: () => member.pause(),
    resume: () => member.resume(),
    async stop() {
      await member.stop('SIGTERM');
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: () => member.stop('SIGKILL'),
    async restart() {
      await member.stop('SIGTERM');
      await member.start();
    },
  };
}
