import type { z } from 'zod';
import { ApiAnswerError, ApiStatusError, ApiUnreachableError } from './api-errors';
import type { ApiTarget } from './api-target';
import { runRequestedSchema, runViewSchema, type RunRequested, type RunView } from './run-view';

/** The reconcile routes of the REST API (`POST /v1/reconcile`, `GET /v1/reconcile/{id}`), over Node's fetch. */
export class ReconcileApi {
  constructor(
    private readonly target: ApiTarget,
    /** Longest wait for one answer before the API counts as unreachable. */
    private readonly requestTimeoutMs: number,
  ) {}

  /** Every cluster when `clusters` is empty. */
  async requestRun(clusters: readonly string[]): Promise<RunRequested> {
    const response = await this.send('v1/reconcile', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(clusters.length === 0 ? {} : { clusters }),
    });
    return this.read(response, 202, runRequestedSchema);
  }

  /** null when the API knows no run of that id (unknown or expired). */
  async getRun(id: string, signal?: AbortSignal): Promise<RunView | null> {
    const response = await this.send(`v1/reconcile/${encodeURIComponent(id)}`, { method: 'GET' }, signal);
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    return this.read(response, 200, runViewSchema);
  }

  private async send(path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const url = new URL(path, this.target.base);
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    if (this.target.token !== undefined) headers.set('authorization', `Bearer ${this.target.token}`);
    try {
      return await fetch(url, { ...init, headers, signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) });
    } catch (err) {
      // The caller's own deadline is the caller's business.
      if (signal?.aborted) throw signal.reason;
      throw new ApiUnreachableError(`could not reach the API at ${this.target.base.href} (${unreachableReason(err, timeout, this.requestTimeoutMs)}); check --api-url or ECS_STATE_API_URL`);
    }
  }

  private async read<T>(response: Response, expected: number, schema: z.ZodType<T>): Promise<T> {
    const text = await response.text();
    if (response.status !== expected) throw new ApiStatusError(response.status, statusMessage(response, text, this.target.token !== undefined));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiAnswerError(`${response.url} answered ${response.status} with a body that is not JSON: is ${this.target.base.href} the cluster state API?`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ApiAnswerError(`${response.url} answered with an unexpected body (${parsed.error.issues[0]?.message ?? 'invalid'}): is ${this.target.base.href} the cluster state API?`);
    return parsed.data;
  }
}

function statusMessage(response: Response, text: string, tokenGiven: boolean): string {
  if (response.status === 401) {
    return tokenGiven
      ? 'the API refused the token (401 Unauthorized): it is not one of the API_TOKENS of the API; check --token or ECS_STATE_API_TOKEN'
      : 'the API needs a token (401 Unauthorized): set ECS_STATE_API_TOKEN or pass --token';
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
