import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdMember, loopbackUrl, type EtcdMemberProcess, type EtcdTuning } from './etcd-member';
import { freePort } from './free-port';
import type { ServerControls } from './server-controls';
import { onFreePorts } from './server-process';

export interface EtcdClusterOptions extends EtcdTuning {
  /** How many members; 3 when omitted (the smallest cluster that survives losing one). */
  members?: number;
}

/** One member of a local cluster. Its port and data survive kill(), stop() and restart(). */
export interface EtcdClusterMember extends ServerControls {
  /** `member-0`, `member-1`, … */
  readonly name: string;
  /** `http://127.0.0.1:<port>`: this member's client URL. */
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  /** Starts again (after kill or stop) and resolves once it is healthy, i.e. has rejoined and sees a leader. */
  start(): Promise<void>;
  /** SIGSTOP: its connections stay open and nothing answers, as with a member cut off by the network; resume() ends it. */
  pause(): void;
}

/** A multi-member etcd on loopback, bootstrapped statically. */
export interface EtcdCluster {
  /** Every member's client URL, in member order; `endpoints.join(',')` is the value for ETCD_ENDPOINTS. */
  readonly endpoints: string[];
  readonly members: EtcdClusterMember[];
  /** The member the others follow, as the running members report it; rejects when none is agreed on within `timeoutMs`. */
  leader(timeoutMs?: number): Promise<EtcdClusterMember>;
  /** Stops every member and removes their data. */
  stop(): Promise<void>;
}

interface MemberStatus {
  /** This member's id. */
  readonly id: string;
  /** The id of the leader it follows; `0` when it has none. */
  readonly leader: string;
}

/** etcd's maintenance status through its JSON gateway: ids are uint64 and arrive as decimal strings. */
async function memberStatus(endpoint: string): Promise<MemberStatus | undefined> {
  try {
    const res = await fetch(`${endpoint}/v3/maintenance/status`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { header?: { member_id?: string }; leader?: string };
    if (!body.header?.member_id || !body.leader) return undefined;
    return { id: body.header.member_id, leader: body.leader };
  } catch {
    return undefined;
  }
}

function clusterMember(name: string, process: EtcdMemberProcess): EtcdClusterMember {
  return {
    name,
    endpoint: process.endpoint,
    port: process.port,
    dataDir: process.dataDir,
    get running() {
      return process.running;
    },
    kill: () => process.stop('SIGKILL'),
    stop: () => process.stop('SIGTERM'),
    start: () => process.start(),
    async restart() {
      await process.stop('SIGTERM');
      await process.start();
    },
    pause: () => process.pause(),
    resume: () => process.resume(),
  };
}

export function startEtcdCluster(options: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  return onFreePorts(() => startEtcdClusterOnce(options));
}

async function startEtcdClusterOnce(options: EtcdClusterOptions): Promise<EtcdCluster> {
  const { members: count = 3, ...tuning } = options;
  if (!Number.isInteger(count) || count < 1) throw new Error(`an etcd cluster needs at least one member, not ${count}`);
  const root = mkdtempSync(join(tmpdir(), 'ecs-state-etcd-cluster-'));
  const ports = await Promise.all(Array.from({ length: count }, async () => ({ client: await freePort(), peer: await freePort() })));
  const names = ports.map((_, i) => `member-${i}`);
  const initialCluster = names.map((name, i) => `${name}=${loopbackUrl(ports[i]!.peer)}`).join(',');
  const clusterToken = `ecs-state-${randomUUID()}`;
  const processes = names.map((name, i) => {
    const dataDir = join(root, name);
    mkdirSync(dataDir);
    return etcdMember({ name, clientPort: ports[i]!.client, peerPort: ports[i]!.peer, dataDir, initialCluster, clusterToken, tuning });
  });
  const members = names.map((name, i) => clusterMember(name, processes[i]!));
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    // Together: no member is healthy before a quorum has met.
    await Promise.all(processes.map((p) => p.start()));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    endpoints: members.map((m) => m.endpoint),
    members,
    async leader(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const statuses = await Promise.all(members.map((m) => (m.running ? memberStatus(m.endpoint) : undefined)));
        // A member that was paused or cut off may still name an old leader: only a majority's word counts.
        const votes = new Map<string, number>();
        for (const s of statuses) if (s !== undefined && s.leader !== '0') votes.set(s.leader, (votes.get(s.leader) ?? 0) + 1);
        const agreed = [...votes].find(([, n]) => n > members.length / 2)?.[0];
        const index = statuses.findIndex((s) => s !== undefined && s.id === agreed);
        if (index >= 0) return members[index]!;
        if (Date.now() > deadline) throw new Error(`no etcd member was agreed on as leader within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop,
  };
}
