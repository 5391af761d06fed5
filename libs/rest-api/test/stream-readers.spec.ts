import { eventually } from '@ecs-state/test-support';
import { request } from 'node:http';
import { JSONParser } from '@streamparser/json';
import { startHarness, type Harness } from './support/api-harness';
import { task } from './support/records';
import { listenOnLoopback } from './support/listen-on-loopback';

/** A client that splits the body on newlines and parses every non-empty line. */
class LineReader {
  readonly values: unknown[] = [];
  private pending = '';

  write(chunk: string): void {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') this.values.push(JSON.parse(line));
  }
}

/** A client that decodes the body as a sequence of concatenated JSON values, as Go's json.Decoder does. */
class ValueSequenceReader {
  readonly values: unknown[] = [];
  readonly errors: Error[] = [];
  private readonly parser = new JSONParser({ separator: '', paths: ['$'] });

  constructor() {
    this.parser.onValue = ({ value }) => this.values.push(value);
    this.parser.onError = (error) => this.errors.push(error);
  }

  write(chunk: string): void {
    this.parser.write(chunk);
  }
}

describe('a v1 stream read by common clients', () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    h = await startHarness('stream-readers', { stream: { heartbeatMs: 20 } });
    url = await listenOnLoopback(h.app);
  });
  afterAll(() => h.close());

  it('carries only JSON objects and whitespace: line splitting and a JSON value decoder both read heartbeats, changes and the final message', async () => {
    const lines = new LineReader();
    const values = new ValueSequenceReader();
    let body = '';
    const ended = new Promise<void>((resolve, reject) => {
      const req = request(`${url}/v1/stream/tasks`, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          lines.write(chunk);
          values.write(chunk);
        });
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    const heartbeats = () => body.split('\n').slice(0, -1).filter((line) => line === '').length;
    const waitForHeartbeat = async () => {
      const seen = heartbeats();
      await eventually('heartbeats() > seen', () => heartbeats() > seen, { timeoutMs: 5000 });
    };

    await waitForHeartbeat();
    for (const id of ['r1', 'r2', 'r3']) {
      await h.put(task({ id, cluster: 'readers' }));
      await waitForHeartbeat();
    }
    // Shutting down ends the stream with a final {"error":…} object.
    await h.app.close();
    await ended;

    expect(heartbeats()).toBeGreaterThanOrEqual(4);
    expect(body).toMatch(/^\n/);
    expect(values.errors).toEqual([]);
    expect(values.values).toEqual(lines.values);
    expect(lines.values.every((value) => value !== null && typeof value === 'object' && !Array.isArray(value))).toBe(true);
    const changes = lines.values.slice(0, -1) as { entity: { taskARN: string } }[];
    expect(changes.map((change) => change.entity.taskARN.split('/').pop())).toEqual(['r1', 'r2', 'r3']);
    expect(lines.values.at(-1)).toMatchObject({ error: { reason: 'server_shutdown' } });
  });
});
