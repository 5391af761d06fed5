import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

export interface ServiceProcessOptions {
  /** Entry point relative to the repository root, e.g. `apps/ingestor/src/main.ts`. */
  main: string;
  env: Record<string, string | undefined>;
  /** The `message` of the JSON log line that says the service is up. */
  readyMessage: string;
}

/**
 * A service's real main.ts in its own process, as a deployment runs it: its JSON
 * log lines are kept, and tests can signal or SIGKILL it.
 */
export class ServiceProcess {
  readonly logs: Record<string, unknown>[] = [];
  /** Everything the process wrote to stderr (its JSON logs go to stdout). */
  stderr = '';
  private child: ChildProcess | undefined;
  private exitPromise: Promise<number | null> | undefined;

  constructor(private readonly options: ServiceProcessOptions) {}

  /** Starts the process; resolves with the ready log line. */
  start(): Promise<Record<string, unknown>> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, this.options.main)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exitPromise = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    let buffered = '';
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          let entry: Record<string, unknown>;
          try {
            entry = JSON.parse(line) as Record<string, unknown>;
          } catch {
            entry = { message: line };
          }
          this.logs.push(entry);
          if (entry.message === this.options.readyMessage) resolve(entry);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`${this.options.main} exited with ${code} before it was ready: ${this.stderr}`)));
    });
  }

  /** The process id, e.g. to read its CPU time from /proc; undefined before start(). */
  get pid(): number | undefined {
    return this.child?.pid;
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
