import type { ParsedKey, RecordKind, StateRecord } from '@ecs-state/domain';

/**
 * One record as the view holds it. Entries are immutable; a change replaces the entry.
 * `S` is what the view's projection keeps of the record (by default the record itself).
 */
export interface ViewEntry<S = StateRecord> {
  readonly key: string;
  readonly kind: RecordKind;
  readonly state: S;
  readonly location: ParsedKey;
  /** etcd mod revision of the stored record: the v1 `entityVersion`. */
  readonly modRevision: number;
}

/** A change the view applied, in etcd revision order. */
export interface ViewChange<S = StateRecord> {
  readonly type: 'put' | 'delete';
  readonly key: string;
  readonly kind: RecordKind;
  /** The revision of the change (the put's mod revision or the delete's revision). */
  readonly revision: number;
  /** The entry after the change; null for a delete. */
  readonly entry: ViewEntry<S> | null;
  /** The entry before the change; null when the key did not exist (or was unknown to the view). */
  readonly previous: ViewEntry<S> | null;
}
