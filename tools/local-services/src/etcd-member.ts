import { ensureBinaries, ETCD } from './ensure-binaries';
import { ServerProcess, waitUntilReady } from './server-process';

/** etcd settings a test may change from etcd's defaults; the same for a single member and every member of a cluster. */
export interface EtcdTuning {
  /** `--quota-backend-bytes`; etcd's default (2 GiB) when omitted. A few MiB fill in seconds, for tests of a full etcd. */
  quotaBackendBytes?: number;
  /** `--max-request-bytes`; etcd's default (1.5 MiB) when omitted. Small values prove that writers cut their requests. */
  maxRequestBytes?: number;
  /** `--max-txn-ops`; etcd's default (128) when omitted. */
  maxTxnOps?: number;
}

/** Where one member listens and keeps its data, and the cluster it bootstraps with. */
export interface EtcdMemberSpec {
  readonly name: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly dataDir: string;
  /** Every member of the cluster at bootstrap, `name=peerUrl` each; read only while the data directory is empty. */
  readonly initialCluster: string;
  /** Keeps members of different clusters on this machine from ever joining each other. */
  readonly clusterToken: string;
  readonly tuning: EtcdTuning;
}

/** One etcd process: its client endpoint, and the signals a test sends it. */
export interface EtcdMemberProcess {
  /** `http://127.0.0.1:<clientPort>`. */
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  /** Starts the process and resolves once it reports itself healthy (for a cluster member: it has a leader). */
  start(): Promise<void>;
  /** The process with `signal`; resolves once it has exited. Data stays. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  pause(): void;
  resume(): void;
  readonly running: boolean;
}

export const loopbackUrl = (port: number): string => `http://127.0.0.1:${port}`;

function etcdArgs(spec: EtcdMemberSpec): string[] {
  const client = loopbackUrl(spec.clientPort);
  const peer = loopbackUrl(spec.peerPort);
  const { quotaBackendBytes, maxRequestBytes, maxTxnOps } = spec.tuning;
  return [
    '--name', spec.name,
    '--data-dir', spec.dataDir,
    '--listen-client-urls', client,
    '--advertise-client-urls', client,
    '--listen-peer-urls', peer,
    '--initial-advertise-peer-urls', peer,
    '--initial-cluster', spec.initialCluster,
    '--initial-cluster-token', spec.clusterToken,
    '--initial-cluster-state', 'new',
    '--log-level', 'warn',
    ...(quotaBackendBytes === undefined ? [] : ['--quota-backend-bytes', String(quotaBackendBytes)]),
    ...(maxRequestBytes === undefined ? [] : ['--max-request-bytes', String(maxRequestBytes)]),
    ...(maxTxnOps === undefined ? [] : ['--max-txn-ops', String(maxTxnOps)]),
  ];
}

async function healthy(endpoint: string): Promise<boolean> {
  const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
  if (!res.ok) return false;
  const body = (await res.json()) as { health?: string };
  return body.health === 'true';
}

/**
 * Whether the etcd answering at `endpoint` is the member with this peer URL. A port
 * picked as free can be taken by another server before etcd binds it (the suites of
 * a test run start many at once); etcd then exits, and until it has, that other
 * server's answers would pass for this one's.
 */
async function answeredBy(endpoint: string, peerUrl: string): Promise<boolean> {
  const res = await fetch(`${endpoint}/v3/cluster/member/list`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1000) });
  if (!res.ok) return false;
  const body = (await res.json()) as { header?: { member_id?: string }; members?: { ID?: string; peerURLs?: string[] }[] };
  const self = body.members?.find((member) => member.ID !== undefined && member.ID === body.header?.member_id);
  return self?.peerURLs?.includes(peerUrl) ?? false;
}

/**
 * The one way an etcd process is launched, whether alone or as a member of a
 * cluster, so both run with the same flags. Not started: call start().
 */
export function etcdMember(spec: EtcdMemberSpec): EtcdMemberProcess {
  const { etcd: binary } = ensureBinaries([ETCD]) as { etcd: string };
  const endpoint = loopbackUrl(spec.clientPort);
  const proc = new ServerProcess(`etcd ${spec.name}`, binary, etcdArgs(spec));
  return {
    endpoint,
    port: spec.clientPort,
    dataDir: spec.dataDir,
    get running() {
      return proc.running;
    },
    async start() {
      proc.start();
      await waitUntilReady(proc, async () => (await healthy(endpoint)) && (await answeredBy(endpoint, loopbackUrl(spec.peerPort))));
    },
    stop: (signal) => proc.stop(signal),
    pause: () => proc.pause(),
    resume: () => proc.resume(),
  };
}
