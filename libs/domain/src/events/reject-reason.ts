import type { RecordRejectReason } from '../records/record-reject-reason';

/**
 * Every reason a message can be rejected for. Closed, so it can be a metric
 * label with known cardinality; see README for the meaning of each.
 */
export const REJECT_REASONS = [
  'too_large',
  'malformed_json',
  'not_an_object',
  'invalid_sns_envelope',
  'invalid_envelope',
  'unexpected_source',
  'missing_field',
  'invalid_field',
  'missing_version',
  'invalid_version',
  'invalid_arn',
  'arn_mismatch',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

// Compile-time proof that record failures can be passed through unchanged.
const recordReasonsAreRejectReasons: RecordRejectReason extends RejectReason ? true : never = true;
void recordReasonsAreRejectReasons;
