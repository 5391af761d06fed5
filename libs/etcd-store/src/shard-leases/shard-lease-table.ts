import type { Etcd3, ICompare, IRequestOp } from 'etcd3';
import { prefixRangeEnd } from '../key-range';
import { CoordinationKeys } from './coordination-keys';
import type { LeaseSession } from './lease-session';
import { decodeCheckpoint, encodeCheckpoint, type ShardCheckpoint } from './shard-checkpoint';

/** What every replica of a stream can see at one revision. */
export interface LeaseTableState {
  /** Owners of the live replicas (their member keys). */
  members: string[];
  /** Shard id → owner of its lease. */
  leases: Map<string, string>;
  checkpoints: Map<string, ShardCheckpoint>;
}

export interface ShardLeaseTableOptions {
  client: Etcd3;
  /** The store's key prefix (ETCD_PREFIX). */
  prefix: string;
  /** The stream's ARN: the replicas of one stream share a table. */
  stream: string;
  /** This replica's name in the table, unique among the replicas. */
  owner: string;
}

/**
 * The shard leases and checkpoints of one stream, seen by one replica through one
 * LeaseSession. A shard's lease is a key on the holder's etcd lease, taken only
 * when absent; a checkpoint is written only while that key is still on this
 * session's lease, so a replica that lost a shard (its lease expired, another
 * took the shard) cannot move the shard's position any more.
 */
export class ShardLeaseTable {
  readonly keys: CoordinationKeys;

  constructor(private readonly options: ShardLeaseTableOptions) {
    this.keys = new CoordinationKeys(options.prefix, options.stream);
  }

  /** Announces this replica as live for as long as the session lasts (shards are balanced over members). */
  async join(session: LeaseSession): Promise<void> {
    await this.options.client.kv.put({ key: Buffer.from(this.keys.member(this.options.owner)), value: Buffer.from(this.options.owner), lease: session.id });
  }

  async read(): Promise<LeaseTableState> {
    const res = await this.options.client.kv.range({ key: Buffer.from(this.keys.base), range_end: prefixRangeEnd(Buffer.from(this.keys.base)) });
    const state: LeaseTableState = { members: [], leases: new Map(), checkpoints: new Map() };
    for (const kv of res.kvs) {
      const parsed = this.keys.parse(kv.key.toString('utf8'));
      if (!parsed) continue;
      if (parsed.kind === 'members') state.members.push(parsed.name);
      else if (parsed.kind === 'leases') state.leases.set(parsed.name, kv.value.toString('utf8'));
      else if (parsed.kind === 'checkpoints') {
        const checkpoint = decodeCheckpoint(kv.value);
        if (checkpoint) state.checkpoints.set(parsed.name, checkpoint);
      }
    }
    return state;
  }

  /** The shard's checkpoint; read it after taking the shard, when no other replica can move it any more. */
  async checkpointOf(shardId: string): Promise<ShardCheckpoint | undefined> {
    const res = await this.options.client.kv.range({ key: Buffer.from(this.keys.checkpoint(shardId)) });
    const kv = res.kvs[0];
    return kv ? (decodeCheckpoint(kv.value) ?? undefined) : undefined;
  }

  /** Takes the shard if nobody holds it; false if another replica does. */
  async tryAcquire(session: LeaseSession, shardId: string): Promise<boolean> {
    const key = Buffer.from(this.keys.lease(shardId));
    const res = await this.options.client.kv.txn({
      compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key, value: Buffer.from(this.options.owner), lease: session.id } }],
      failure: [],
    });
    return res.succeeded;
  }

  /** Gives the shard back, if this session still holds it. */
  async release(session: LeaseSession, shardId: string): Promise<boolean> {
    const key = Buffer.from(this.keys.lease(shardId));
    const res = await this.options.client.kv.txn({ compare: [this.heldBy(session, key)], success: [{ request_delete_range: { key } }], failure: [] });
    return res.succeeded;
  }

  /**
   * Records the shard's position, only if this session still holds the shard's
   * lease; false means the shard was lost and its reader must stop. The end of a
   * shard is recorded together with the release of its lease.
   */
  async checkpoint(session: LeaseSession, shardId: string, checkpoint: ShardCheckpoint): Promise<boolean> {
    const leaseKey = Buffer.from(this.keys.lease(shardId));
    const success: IRequestOp[] = [{ request_put: { key: Buffer.from(this.keys.checkpoint(shardId)), value: Buffer.from(encodeCheckpoint(checkpoint)) } }];
    if (checkpoint.kind === 'shardEnd') success.push({ request_delete_range: { key: leaseKey } });
    const res = await this.options.client.kv.txn({ compare: [this.heldBy(session, leaseKey)], success, failure: [] });
    return res.succeeded;
  }

  private heldBy(session: LeaseSession, key: Buffer): ICompare {
    return { key, target: 'Lease', result: 'Equal', lease: session.id };
  }
}
