import type { z } from 'zod';
import { ApiAnswerError, ApiStatusError, ApiUnreachableError } from './api-errors';
import type { ApiTarget } from './api-target';

/** Requests to the REST API over Node's fetch, with the CLI's errors for every way one can fail. */
export class ApiHttp {
  constructor(
    readonly target: ApiTarget,
    /** Longest wait for the answer's headers before the API counts as unreachable. */
    private readonly requestTimeoutMs: number,
  ) {}

  /**
   * Sends a request. `streaming` leaves the body without a deadline (a stream stays open
   * for as long as the caller reads it); the deadline still covers the headers.
   */
  async send(path: string, init: RequestInit, signal?: AbortSignal, streaming = false): Promise<Response> {
    const url = new URL(path, this.target.base);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.requestTimeoutMs);
    const headers = new Headers(init.headers);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    if (this.target.token !== undefined) headers.set('authorization', `Bearer ${this.target.token}`);
    try {
      return await fetch(url, { ...init, headers, signal: signal === undefined ? timeout.signal : AbortSignal.any([signal, timeout.signal]) });
    } catch (err) {
      // The caller's own deadline or cancellation is the caller's business.
      if (signal?.aborted) throw signal.reason;
      throw new ApiUnreachableError(
        `could not reach the API at ${this.target.base.href} (${unreachableReason(err, timeout.signal, this.requestTimeoutMs)}); check --url or ECS_STATE_URL`,
      );
    } finally {
      // A whole answer is read under the deadline; a stream only has to start in time.
      if (streaming) clearTimeout(timer);
      else timer.unref();
    }
  }

  /** The answer's JSON checked against `schema`, or the API's error as an ApiStatusError. */
  async readJson<T>(response: Response, expected: number, schema: z.ZodType<T>): Promise<T> {
    const text = await response.text();
    if (response.status !== expected) throw this.statusError(response, text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiAnswerError(`${response.url} answered ${response.status} with a body that is not JSON: is ${this.target.base.href} the cluster state API?`);
    }
    return this.check(response.url, body, schema);
  }

  check<T>(url: string, body: unknown, schema: z.ZodType<T>): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiAnswerError(`${url} answered with an unexpected body (${parsed.error.issues[0]?.message ?? 'invalid'}): is ${this.target.base.href} the cluster state API?`);
    }
    return parsed.data;
  }

  statusError(response: Response, text: string): ApiStatusError {
    return new ApiStatusError(response.status, statusMessage(response, text, this.target.token !== undefined));
  }
}

function statusMessage(response: Response, text: string, tokenGiven: boolean): string {
  if (response.status === 401) {
    return tokenGiven
      ? 'the API refused the token (401 Unauthorized): it is not one of the API_TOKENS of the API; check --token or ECS_STATE_TOKEN'
      : 'the API needs a token (401 Unauthorized): set ECS_STATE_TOKEN or pass --token';
  }
  // The API's errors are one line of plain text.
  const said = text.trim().split('\n', 1)[0]?.slice(0, 500) || response.statusText;
  return `the API answered ${response.status}: ${said}`;
}

function unreachableReason(err: unknown, timeout: AbortSignal, timeoutMs: number): string {
  if (timeout.aborted) return `no answer within ${timeoutMs / 1000} s`;
  // fetch rejects with TypeError('fetch failed') and the socket's error as its cause.
  // Errors are read by shape: they may come from another realm (e.g. under a test runner).
  const cause = causeOf(err) ?? err;
  const code = errorCode(cause);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    default:
      return code ?? messageOf(cause);
  }
}

function causeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { cause?: unknown }).cause : undefined;
}

/** Node reports a failed connection on the error, or on each address tried (an AggregateError). */
function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, errors } = err as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) return errorCode(errors[0]);
  return undefined;
}

function messageOf(err: unknown): string {
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' && message !== '' ? message : String(err);
}
