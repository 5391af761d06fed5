import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');
const MAIN = join(ROOT, 'apps/api/src/main.ts');

export interface ApiProcessOptions {
  readonly etcdEndpoints: string;
  readonly etcdPrefix: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** The real api as a separate process, on a free loopback port. */
export class ApiProcess {
  private child: ChildProcess | undefined;
  private exitPromise: Promise<number | null> | undefined;
  private output = '';
  url = '';

  constructor(private readonly options: ApiProcessOptions) {}

  async start(): Promise<void> {
    const o = this.options;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'],
        TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'),
        ETCD_ENDPOINTS: o.etcdEndpoints,
        ETCD_PREFIX: o.etcdPrefix,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        ...o.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exitPromise = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
        // Only whole lines: a chunk may end inside one.
        for (const line of this.output.split('\n').slice(0, -1)) {
          if (!line.includes('"message":"api listening"')) continue;
          const url = (JSON.parse(line) as { url?: unknown }).url;
          if (typeof url === 'string') resolve(url);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`api exited with ${code} before it listened: ${this.output}`)));
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exitPromise;
  }
}
