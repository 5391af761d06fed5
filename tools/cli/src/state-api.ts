import { ApiAnswerError } from './api-errors';
import type { ApiHttp } from './api-http';
import { listPageSchema, recordItemSchema, streamEndSchema, type ListPage, type RecordItem } from './record-item';
import { RESOURCE_ROUTES, type ResourceKind } from './resource-kind';

/** A stream's end: the API's reason and where to resume (absent when the connection just dropped). */
export class StreamEndedError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly resumeAfterRevision: string | undefined,
  ) {
    super(message);
  }
}

/** The record routes of the REST API: lists page by page, gets, and change streams. */
export class StateApi {
  constructor(
    private readonly http: ApiHttp,
    /** Items per list request: a big fleet arrives, and is printed, a page at a time. */
    private readonly pageSize = 500,
  ) {}

  /** Every page of a list; all of them reflect the first page's revision. */
  async *pages(kind: ResourceKind, query: Readonly<Record<string, string>>, signal?: AbortSignal): AsyncGenerator<ListPage> {
    let nextToken: string | undefined;
    do {
      const params = new URLSearchParams({ ...query, limit: String(this.pageSize) });
      if (nextToken !== undefined) params.set('nextToken', nextToken);
      const response = await this.http.send(`${RESOURCE_ROUTES[kind].collection}?${params.toString()}`, { method: 'GET' }, signal);
      const page = await this.http.readJson(response, 200, listPageSchema);
      yield page;
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }

  /** One record by cluster (name or ARN) and ARN; null when the API has none. */
  async get(kind: ResourceKind, cluster: string, arn: string): Promise<RecordItem | null> {
    const path = `${RESOURCE_ROUTES[kind].collection}/${encodeURIComponent(cluster)}/${encodeURIComponent(arn)}`;
    const response = await this.http.send(path, { method: 'GET' });
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    return this.http.readJson(response, 200, recordItemSchema);
  }

  /**
   * Every change after `afterRevision`, deletes included (as tombstones), until `signal`
   * aborts; ends with StreamEndedError when the API ends the stream or the connection drops.
   */
  async *changes(kind: ResourceKind, afterRevision: string, signal: AbortSignal): AsyncGenerator<RecordItem> {
    const params = new URLSearchParams({ afterRevision, tombstones: 'true' });
    const url = `${RESOURCE_ROUTES[kind].stream}?${params.toString()}`;
    const response = await this.http.send(url, { method: 'GET' }, signal, true);
    if (response.status !== 200) throw this.http.statusError(response, await response.text());
    if (response.body === null) throw new ApiAnswerError(`${response.url} answered without a body`);
    let rest = '';
    try {
      for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
        rest += chunk;
        let newline: number;
        while ((newline = rest.indexOf('\n')) >= 0) {
          const line = rest.slice(0, newline).trim();
          rest = rest.slice(newline + 1);
          // Heartbeats are empty lines.
          if (line !== '') yield this.change(response.url, line);
        }
      }
    } catch (err) {
      if (signal.aborted || err instanceof StreamEndedError || err instanceof ApiAnswerError) throw err;
      throw new StreamEndedError('connection_lost', `the stream's connection was lost (${err instanceof Error ? err.message : String(err)})`, undefined);
    }
    if (!signal.aborted) throw new StreamEndedError('connection_lost', 'the API closed the stream', undefined);
  }

  private change(url: string, line: string): RecordItem {
    let body: unknown;
    try {
      body = JSON.parse(line);
    } catch {
      throw new ApiAnswerError(`${url} sent a line that is not JSON: is the API the cluster state API?`);
    }
    const end = streamEndSchema.safeParse(body);
    if (end.success) throw new StreamEndedError(end.data.error.reason, end.data.error.message, end.data.error.resumeAfterRevision);
    return this.http.check(url, body, recordItemSchema);
  }
}
