import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../src/main.ts');

export interface IngestorProcessOptions {
  simulatorEndpoint: string;
  etcdEndpoints: string;
  etcdPrefix: string;
  queueName: string;
  env?: Record<string, string>;
}

/** The real ingestor as a separate process, as ECS would run it. */
export class IngestorProcess {
  private child: ChildProcess | undefined;
  readonly logs: Record<string, unknown>[] = [];
  opsPort = 0;
  private exitPromise: Promise<number | null> | undefined;

  constructor(private readonly options: IngestorProcessOptions) {}

  async start(): Promise<void> {
    const o = this.options;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL: o.simulatorEndpoint,
        ETCD_ENDPOINTS: o.etcdEndpoints,
        ETCD_PREFIX: o.etcdPrefix,
        QUEUE_NAME: o.queueName,
        METRICS_PORT: '0',
        INGEST_WAIT_SECONDS: '1',
        INGEST_VISIBILITY_TIMEOUT: '5',
        LOG_LEVEL: 'debug',
        ...o.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exitPromise = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    let buffered = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          try {
            const entry = JSON.parse(line) as Record<string, unknown>;
            this.logs.push(entry);
            if (entry.message === 'ingesting') {
              this.opsPort = Number(entry.opsPort);
              resolve();
            }
          } catch {
            this.logs.push({ message: line });
          }
        }
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`ingestor exited with ${code} before it was ready: ${stderr}`)));
    });
    await ready;
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.opsPort}/metrics`)).text();
  }

  async metric(name: string, labels = ''): Promise<number> {
    const text = await this.metrics();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** Resolves with the exit code once the process has ended. */
  exited(): Promise<number | null> {
    return this.exitPromise ?? Promise.resolve(null);
  }

  async kill(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited();
  }
}
