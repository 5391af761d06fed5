import type { Failure, Result } from '../result/result';

export type ArnRejectReason = 'invalid_arn';

export type ArnResult<T> = Result<T, ArnRejectReason>;

export type ArnFailure = Failure<ArnRejectReason>;
