import { request, type IncomingMessage } from 'node:http';

/** One change as a client of `/v1/stream/tasks` receives it, and when. */
export interface ReceivedChange {
  readonly taskArn: string;
  /** `metadata.entityVersion`: the etcd revision of the change. */
  readonly revision: number;
  readonly at: number;
}

/** A client of a `/v1/stream/*` route that keeps every change it receives with its arrival time. */
export class StreamClient {
  readonly changes: ReceivedChange[] = [];
  ended = false;
  private response: IncomingMessage | undefined;
  private buffer = '';

  static open(url: string): Promise<StreamClient> {
    const client = new StreamClient();
    return new Promise((resolve, reject) => {
      const req = request(url, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`${url} answered ${res.statusCode}`));
          res.resume();
          return;
        }
        client.response = res;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.push(chunk));
        res.on('error', () => undefined);
        res.on('close', () => (client.ended = true));
        resolve(client);
      });
      req.on('error', (error) => (client.response ? undefined : reject(error)));
      req.end();
    });
  }

  /** The longest time between two changes received from `since` on (ms). */
  longestPauseMs(since: number): number {
    let longest = 0;
    let previous = since;
    for (const change of this.changes) {
      if (change.at < since) continue;
      longest = Math.max(longest, change.at - previous);
      previous = change.at;
    }
    return longest;
  }

  close(): void {
    this.response?.destroy();
  }

  private push(chunk: string): void {
    const at = Date.now();
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    // Empty lines are heartbeats.
    for (const line of lines) {
      if (line.trim() === '') continue;
      const item = JSON.parse(line) as { metadata: { entityVersion: string }; entity: { taskARN: string } };
      this.changes.push({ taskArn: item.entity.taskARN, revision: Number(item.metadata.entityVersion), at });
    }
  }
}
