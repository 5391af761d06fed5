/**
 * Errors are values in this library: every fallible operation returns a
 * `Result` whose failure carries a closed `reason` (usable as a metric label)
 * and a human-readable `message`.
 */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

export interface Failure<R extends string> {
  readonly ok: false;
  readonly reason: R;
  readonly message: string;
}

export type Result<T, R extends string> = Ok<T> | Failure<R>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function fail<R extends string>(reason: R, message: string): Failure<R> {
  return { ok: false, reason, message };
}
