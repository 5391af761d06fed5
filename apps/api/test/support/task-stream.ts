import { eventually } from '@ecs-state/test-support';
import { request, type IncomingMessage } from 'node:http';

/** One streamed item: `{ metadata: { entityVersion }, entity }`. */
export interface StreamItem {
  readonly metadata: { readonly entityVersion: string; readonly deleted?: boolean };
  readonly entity: Record<string, unknown>;
}

/** A client of `/v1/stream/*` that keeps every JSON line it receives. */
export class TaskStream {
  readonly items: StreamItem[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  body = '';
  private response: IncomingMessage | undefined;
  private buffer = '';

  static open(url: string): Promise<TaskStream> {
    const stream = new TaskStream();
    return new Promise((resolve, reject) => {
      const req = request(url, (res) => {
        stream.response = res;
        stream.status = res.statusCode ?? 0;
        stream.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => stream.push(chunk));
        res.on('error', () => undefined);
        resolve(stream);
      });
      req.on('error', (error) => (stream.response ? undefined : reject(error)));
      req.end();
    });
  }

  /** Items of one task, in arrival order. */
  itemsOf(taskArn: string): StreamItem[] {
    return this.items.filter((item) => item.entity['taskARN'] === taskArn);
  }

  /** Polls until `predicate` holds over the items received so far. */
  async until(predicate: (items: readonly StreamItem[]) => boolean, what: string, timeoutMs = 45_000): Promise<void> {
    await eventually(`stream: ${what}`, () => predicate(this.items), { timeoutMs, context: () => `received ${this.items.length} items` });
  }

  close(): void {
    this.response?.destroy();
  }

  private push(chunk: string): void {
    this.body += chunk;
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    // Empty lines are heartbeats.
    for (const line of lines) if (line.trim() !== '') this.items.push(JSON.parse(line) as StreamItem);
  }
}
