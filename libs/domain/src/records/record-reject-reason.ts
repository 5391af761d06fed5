import type { Failure, Result } from '../result/result';

/** Why an object could not become a record. A subset of the event reject reasons. */
export type RecordRejectReason =
  | 'not_an_object'
  | 'missing_field'
  | 'invalid_field'
  | 'missing_version'
  | 'invalid_version'
  | 'invalid_arn'
  | 'arn_mismatch';

export type RecordResult<T> = Result<T, RecordRejectReason>;

export type RecordFailure = Failure<RecordRejectReason>;
