import type { ApiEntry } from './api-record';

/** Text pieces are short ASCII (punctuation, revisions, base64url tokens); entities are cached bytes. */
export type BodyPart = string | Buffer;

export function partsByteLength(parts: readonly BodyPart[]): number {
  let length = 0;
  for (const part of parts) length += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
  return length;
}

/** Copies the parts into `out`, which must hold exactly partsByteLength(parts) bytes. */
export function writeParts(parts: readonly BodyPart[], out: Buffer): Buffer {
  let offset = 0;
  for (const part of parts) offset += typeof part === 'string' ? out.write(part, offset) : part.copy(out, offset);
  return out;
}

/** One allocation and one copy of each part: no intermediate strings for a ~160 KB page. */
export function concatParts(parts: readonly BodyPart[]): Buffer {
  return writeParts(parts, Buffer.allocUnsafe(partsByteLength(parts)));
}

/** Appends `{"metadata":{"entityVersion":"<mod revision>"},"entity":{…}}`, the item of lists, gets and streams. */
export function pushItem(parts: BodyPart[], entry: ApiEntry): void {
  parts.push(itemHead(entry), entry.state.entity, ITEM_TAIL);
}

/** What an item starts with, before its entity bytes (ASCII). */
export function itemHead(entry: ApiEntry): string {
  return `{"metadata":{"entityVersion":"${entry.modRevision}"},"entity":`;
}

/** What follows an item's entity bytes. */
export const ITEM_TAIL = '}';

export function itemBytes(entry: ApiEntry): Buffer {
  const parts: BodyPart[] = [];
  pushItem(parts, entry);
  return concatParts(parts);
}

/** Appends a delete as stream clients that asked for tombstones get it, with the last state when known. */
export function pushTombstone(parts: BodyPart[], revision: number, previous: ApiEntry | null): void {
  if (previous === null) {
    parts.push(`{"metadata":{"entityVersion":"${revision}","deleted":true}}`);
    return;
  }
  parts.push(`{"metadata":{"entityVersion":"${revision}","deleted":true},"entity":`, previous.state.entity, '}');
}
