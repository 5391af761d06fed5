import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');
const MAIN = join(ROOT, 'apps/ingestor/src/main.ts');

export interface IngestorProcessOptions {
  readonly simulatorEndpoint: string;
  readonly etcdEndpoints: string;
  readonly etcdPrefix: string;
  readonly queueName: string;
}

/** The real ingestor as a separate process, fed by the simulator's event queue. */
export class IngestorProcess {
  private child: ChildProcess | undefined;
  private exitPromise: Promise<number | null> | undefined;
  private output = '';

  constructor(private readonly options: IngestorProcessOptions) {}

  async start(): Promise<void> {
    const o = this.options;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'],
        TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'),
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
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exitPromise = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
        if (this.output.includes('"message":"ingesting"')) resolve();
      });
      child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`ingestor exited with ${code} before it was ready: ${this.output}`)));
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exitPromise;
  }
}
