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

const ITEM_OPENING = Buffer.from('{"metadata":{"entityVersion":"', 'latin1');
const ITEM_ENTITY_KEY = Buffer.from('"},"entity":', 'latin1');
const CLOSING_BRACE = 0x7d;
const DIGIT_ZERO = 0x30;

/** Bytes the item takes: its head, its entity and its tail. */
export function itemByteLength(entry: ApiEntry): number {
  return ITEM_OPENING.length + decimalLength(entry.modRevision) + ITEM_ENTITY_KEY.length + entry.state.entity.length + 1;
}

/**
 * Writes the item into `out` at `offset` (room for itemByteLength bytes is
 * the caller's to check) and returns the offset after it. Nothing is
 * allocated: a list of 100,000 items leaves no per-item garbage behind.
 */
export function writeItem(out: Buffer, offset: number, entry: ApiEntry): number {
  let at = offset + ITEM_OPENING.copy(out, offset);
  at = writeDecimal(out, at, entry.modRevision);
  at += ITEM_ENTITY_KEY.copy(out, at);
  at += entry.state.entity.copy(out, at);
  out[at] = CLOSING_BRACE;
  return at + 1;
}

/** Revisions are integers up to 2^53, beyond 32-bit arithmetic. */
function decimalLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) length++;
  return length;
}

function writeDecimal(out: Buffer, offset: number, value: number): number {
  const end = offset + decimalLength(value);
  let rest = value;
  for (let at = end - 1; at >= offset; at--) {
    out[at] = DIGIT_ZERO + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return end;
}

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
