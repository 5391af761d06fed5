import { normalizeStateRecord, recordKindOfDetailType, type StateRecord } from '@ecs-state/domain';
import { loadReferenceEvent } from '@ecs-state/test-support';

/** A reference sample's `detail`, normalised as the store keeps it. */
export function referenceRecord(name: string): StateRecord {
  const { envelope } = loadReferenceEvent(name);
  const kind = recordKindOfDetailType(envelope['detail-type']);
  if (!kind) throw new Error(`${name} is not a state-change event`);
  const normalized = normalizeStateRecord(kind, envelope.detail);
  if (!normalized.ok) throw new Error(normalized.message);
  return normalized.value;
}
