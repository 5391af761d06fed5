import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface RawExchange {
  /** Everything the server wrote, as received. */
  readonly text: string;
  readonly responses: RawResponse[];
  /** Whether the server closed the connection (rather than the wait running out). */
  readonly closedByServer: boolean;
  readonly ms: number;
}

/**
 * A TCP connection that writes requests byte for byte, as no HTTP client
 * library would (malformed, partial, pipelined), and reads what comes back.
 */
export class RawConnection {
  private readonly socket: Socket;
  private received = '';
  private closed = false;
  private readonly started = Date.now();
  private readonly ready: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.ready = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.socket.on('data', (chunk: Buffer) => (this.received += chunk.toString('latin1')));
    this.socket.on('close', () => (this.closed = true));
    this.socket.on('error', () => undefined);
  }

  async write(data: string): Promise<void> {
    await this.ready;
    this.socket.write(data);
  }

  /** Waits until the server closes the connection, `responses` complete responses arrived, or `timeoutMs` passed. */
  async read(options: { responses?: number; timeoutMs: number }): Promise<RawExchange> {
    const deadline = Date.now() + options.timeoutMs;
    while (!this.closed && Date.now() < deadline && (options.responses === undefined || parseResponses(this.received).length < options.responses)) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return { text: this.received, responses: parseResponses(this.received), closedByServer: this.closed, ms: Date.now() - this.started };
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One request on a fresh connection; resolves when the server closes it or after `timeoutMs`. */
export async function exchange(port: number, request: string, timeoutMs = 3000, responses?: number): Promise<RawExchange> {
  const connection = new RawConnection(port);
  try {
    await connection.write(request);
    return await connection.read({ timeoutMs, ...(responses === undefined ? {} : { responses }) });
  } finally {
    connection.close();
  }
}

/** Complete responses with a Content-Length body (what the server sends for errors). */
function parseResponses(text: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return out;
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? NaN);
    if (!Number.isFinite(length) || rest.length < end + 4 + length) return out;
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
}
