/** One request to one route, as the fault tests describe it. */
export interface RouteCall {
  readonly method?: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** A stream: the answer is complete once its headers (or, with `firstItem`, a first item) arrived. */
  readonly stream?: { readonly firstItem: boolean };
}

export interface RouteAnswer {
  readonly status: number;
  /** The whole body; for a stream answered 200, what arrived until it was closed. */
  readonly body: string;
  readonly retryAfter: string | null;
  readonly ms: number;
}

/** Calls a route of the api and closes the connection of a stream once it has what it waits for. */
export async function callRoute(baseUrl: string, call: RouteCall, timeoutMs = 15_000): Promise<RouteAnswer> {
  const started = Date.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`${call.method ?? 'GET'} ${call.path}: no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    const response = await fetch(`${baseUrl}${call.path}`, {
      method: call.method ?? 'GET',
      headers: { ...(call.body === undefined ? {} : { 'content-type': 'application/json' }), ...call.headers },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      signal: controller.signal,
    });
    let body = '';
    if (call.stream !== undefined && response.status === 200) {
      if (call.stream.firstItem) {
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        while (!body.includes('"entity"')) {
          const { value, done } = await reader.read();
          if (done) break;
          body += decoder.decode(value, { stream: true });
        }
      }
      controller.abort();
    } else {
      body = await response.text();
    }
    return { status: response.status, body, retryAfter: response.headers.get('retry-after'), ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
