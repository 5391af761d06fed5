import { tokenStore } from './token-store';

/** A non-2xx answer; the API's errors are one line of plain text. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ListPage<T> {
  readonly items: T[];
  readonly revision: number;
  readonly nextToken: string | undefined;
}

export interface ListItem<E> {
  readonly metadata: { readonly entityVersion: string; readonly deleted?: boolean };
  readonly entity: E;
}

/**
 * The REST API, reached relative to the page (`/ui/` → `/v1/…`), so the
 * dashboard works behind a proxy that serves the API under a path prefix.
 */
export class ApiClient {
  /** Called on every 401, so the page can ask for a token. */
  onUnauthorized: () => void = () => undefined;

  constructor(private readonly base: URL) {}

  url(path: string, query: Record<string, string | number | undefined> = {}): URL {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    return url;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const token = tokenStore.get();
    return token === null ? extra : { ...extra, authorization: `Bearer ${token}` };
  }

  async request(method: 'GET' | 'POST', path: string, query: Record<string, string | number | undefined> = {}, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const response = await fetch(this.url(path, query), {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal === undefined ? {} : { signal }),
      cache: 'no-store',
    });
    if (response.status === 401) this.onUnauthorized();
    if (!response.ok) throw new ApiFailure(response.status, (await response.text()).trim() || response.statusText);
    return response;
  }

  async getJson<T>(path: string, query: Record<string, string | number | undefined> = {}, signal?: AbortSignal): Promise<T> {
    return (await (await this.request('GET', path, query, undefined, signal)).json()) as T;
  }

  async listPage<E>(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<ListPage<ListItem<E>>> {
    const body = await this.getJson<{ items: ListItem<E>[]; revision: number | string; nextToken?: string }>(path, query, signal);
    return { items: body.items, revision: Number(body.revision), nextToken: body.nextToken };
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return (await (await this.request('POST', path, {}, body)).json()) as T;
  }
}
