import type { RecordKind, StateRecord } from '@ecs-state/domain';
import type { ViewEntry } from './view-entry';

export interface ListQuery<S = StateRecord> {
  readonly kind: RecordKind;
  /** Read the view as of this revision (a later page of a listing); default: now. */
  readonly atRevision?: number;
  /** Only keys starting with this (e.g. one cluster's key prefix). */
  readonly keyPrefix?: string;
  /** Resume after this key (exclusive). */
  readonly afterKey?: string;
  readonly filter?: (entry: ViewEntry<S>) => boolean;
  /** Most entries returned; `Infinity`: every matching one (then `lastKey` is never set). */
  readonly limit: number;
}

export interface ListResult<S = StateRecord> {
  readonly items: ViewEntry<S>[];
  /** The revision the page reflects. */
  readonly revision: number;
  /** Set when more matching entries follow: the key to resume after. */
  readonly lastKey?: string;
}
