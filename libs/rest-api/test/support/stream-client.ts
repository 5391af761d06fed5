import { request, type IncomingMessage } from 'node:http';

/** A streaming HTTP GET that collects what arrives, line by line. */
export class StreamClient {
  readonly lines: string[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  ended = false;
  private response: IncomingMessage | undefined;
  private buffer = '';
  private readonly abort = new AbortController();

  static open(url: string, headers: Record<string, string> = {}): Promise<StreamClient> {
    const client = new StreamClient();
    return new Promise((resolve, reject) => {
      const req = request(url, { headers, signal: client.abort.signal }, (res) => {
        client.response = res;
        client.status = res.statusCode ?? 0;
        client.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.push(chunk));
        res.on('end', () => (client.ended = true));
        res.on('error', () => (client.ended = true));
        res.on('close', () => (client.ended = true));
        resolve(client);
      });
      req.on('error', (error) => (client.response ? undefined : reject(error)));
      req.end();
    });
  }

  /** Non-empty lines parsed as JSON. */
  json(): Record<string, unknown>[] {
    return this.lines.filter((l) => l.trim() !== '' && !l.startsWith(':') && !/^(id|event|retry):/.test(l)).map((l) => JSON.parse(l.startsWith('data: ') ? l.slice(6) : l) as Record<string, unknown>);
  }

  close(): void {
    this.abort.abort();
    this.response?.destroy();
  }

  private push(chunk: string): void {
    this.buffer += chunk;
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    this.lines.push(...parts);
  }
}
