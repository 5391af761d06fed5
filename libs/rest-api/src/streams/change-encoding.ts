import type { RecordKind } from '@ecs-state/domain';
import type { ApiChange } from '../v1/api-record';
import { concatParts, pushItem, pushTombstone, type BodyPart } from '../v1/item-bytes';

export type StreamFormat = 'json-lines' | 'sse';

/** What a stream's bytes depend on besides the changes. */
export interface StreamEncoding {
  readonly kind: RecordKind;
  readonly format: StreamFormat;
  readonly tombstones: boolean;
}

/**
 * The view hands the same batch array to every subscriber, so each batch is
 * encoded once per encoding and the bytes are written to every client: the
 * cost of a change no longer grows with the number of streams.
 */
const encoded = new WeakMap<readonly ApiChange[], Map<string, Buffer | null>>();

/**
 * The bytes of the changes after `afterRevision` that concern a stream; null
 * when none does. Only whole batches (the common case: a client that is up to
 * date) are shared; a batch that overlaps what a client already has is
 * encoded for that client alone.
 */
export function encodeChanges(changes: readonly ApiChange[], encoding: StreamEncoding, afterRevision: number): Buffer | null {
  const first = changes[0];
  if (first === undefined) return null;
  if (first.revision <= afterRevision) return encode(changes, encoding, afterRevision);
  const id = `${encoding.kind} ${encoding.format} ${encoding.tombstones}`;
  let byEncoding = encoded.get(changes);
  if (byEncoding === undefined) encoded.set(changes, (byEncoding = new Map()));
  let bytes = byEncoding.get(id);
  if (bytes === undefined) byEncoding.set(id, (bytes = encode(changes, encoding, afterRevision)));
  return bytes;
}

function encode(changes: readonly ApiChange[], encoding: StreamEncoding, afterRevision: number): Buffer | null {
  const parts: BodyPart[] = [];
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i] as ApiChange;
    if (change.revision <= afterRevision || change.kind !== encoding.kind) continue;
    const isPut = change.type === 'put' && change.entry !== null;
    if (!isPut && !(change.type === 'delete' && encoding.tombstones)) continue;
    if (encoding.format === 'sse') {
      // The id marks a revision complete, so Last-Event-ID never skips part of one.
      const next = changes[i + 1];
      const closesRevision = next === undefined || next.revision !== change.revision;
      parts.push(`${closesRevision ? `id: ${change.revision}\n` : ''}data: `);
    }
    if (isPut) pushItem(parts, change.entry as NonNullable<ApiChange['entry']>);
    else pushTombstone(parts, change.revision, change.previous);
    parts.push(encoding.format === 'sse' ? '\n\n' : '\n');
  }
  return parts.length === 0 ? null : concatParts(parts);
}
