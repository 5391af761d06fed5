/**
 * Where the ingestors of one Kinesis stream coordinate. The api and the reconciler
 * read and watch everything under `<prefix>/` as cluster state, so these keys live
 * beside that range (`<prefix>.kinesis/…`), never inside it.
 *
 *   <prefix>.kinesis/<stream>/members/<owner>       one per live replica, on its etcd lease
 *   <prefix>.kinesis/<stream>/leases/<shardId>      the replica processing the shard, on its etcd lease
 *   <prefix>.kinesis/<stream>/checkpoints/<shardId> last durable sequence number, or the shard's end
 */
export class CoordinationKeys {
  readonly base: string;

  /** `stream` is the stream's ARN (or name): two streams never share keys. */
  constructor(prefix: string, stream: string) {
    this.base = `${prefix}.kinesis/${encodeURIComponent(stream)}/`;
  }

  member(owner: string): string {
    return `${this.base}members/${encodeURIComponent(owner)}`;
  }

  lease(shardId: string): string {
    return `${this.base}leases/${encodeURIComponent(shardId)}`;
  }

  checkpoint(shardId: string): string {
    return `${this.base}checkpoints/${encodeURIComponent(shardId)}`;
  }

  /** The kind (`members`, `leases`, `checkpoints`) and name of a key under `base`, or null. */
  parse(key: string): { kind: string; name: string } | null {
    if (!key.startsWith(this.base)) return null;
    const rest = key.slice(this.base.length);
    const slash = rest.indexOf('/');
    if (slash < 0) return null;
    return { kind: rest.slice(0, slash), name: decodeURIComponent(rest.slice(slash + 1)) };
  }
}
