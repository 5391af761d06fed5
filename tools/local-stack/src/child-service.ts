import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findWorkspaceRoot } from './workspace-root';

/** How a service says it is ready: an HTTP URL answering 200, or a stdout line. */
export type Readiness = { http: string } | { line: RegExp };

export type OutputStream = 'stdout' | 'stderr';

export interface ChildServiceOptions {
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  readiness?: Readiness;
  /** Receives every output line of the service. */
  onLine?: (line: string, stream: OutputStream) => void;
  /** Time from SIGTERM to SIGKILL, on stop() and when the leash stops the service by itself. */
  stopTimeoutMs?: number;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not be started at all. */
  error?: string;
}

export interface StopResult extends ChildExit {
  /** True when the service ignored SIGTERM until the deadline and was killed. */
  killed: boolean;
}

const POLL_INTERVAL_MS = 200;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
// From the workspace root: the stack may run as a bundle in dist/, the leash never does.
const leashPath = () => join(findWorkspaceRoot(__dirname), 'tools', 'local-stack', 'src', 'leash.mjs');
// Output still buffered in the pipes when the process exits is shown before its exit is reported.
const OUTPUT_DRAIN_MS = 500;

export function describeExit(exit: ChildExit): string {
  if (exit.error) return `could not start: ${exit.error}`;
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.code}`;
}

async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * One service of the stack as a child process, started through a leash
 * (leash.mjs): should the stack's process end without stopping it, even by
 * SIGKILL, the leash stops the service on its own. The leash and the service run
 * in a process group of their own, so the terminal's Ctrl-C reaches only the
 * stack, which then stops the services in order; the group also lets a kill take
 * the service's own children (etcd under its launcher) with it.
 */
export class ChildService {
  readonly name: string;
  private child: ChildProcess | undefined;
  private exitPromise: Promise<ChildExit> | undefined;
  private exitInfo: ChildExit | undefined;
  private stopRequested = false;
  private readyLine: ((line: string) => void) | undefined;
  private matchedLine: string | undefined;

  constructor(private readonly options: ChildServiceOptions) {
    this.name = options.name;
  }

  /** Process id of the leash, which leads the service's process group. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  /** True once stop() was called: an exit after that is expected. */
  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Resolves when the process has exited (immediately if it never started). */
  get exited(): Promise<ChildExit> {
    return this.exitPromise ?? Promise.resolve({ code: null, signal: null, error: 'not started' });
  }

  start(): void {
    if (this.child) throw new Error(`${this.name} was already started`);
    const graceMs = this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    // The leash's channel is never used to stop the service: it closes when this process ends.
    const child = spawn(process.execPath, [leashPath(), String(graceMs), this.options.command, ...this.options.args], {
      cwd: this.options.cwd,
      env: this.options.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    });
    this.child = child;
    let startError: string | undefined;
    child.on('message', (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'error' in message) startError = String(message.error);
    });
    const channelClosed = new Promise<void>((resolve) => child.once('disconnect', () => resolve()));
    const streamsClosed = [child.stdout, child.stderr].map((stream, i) => {
      const name: OutputStream = i === 0 ? 'stdout' : 'stderr';
      if (!stream) return Promise.resolve();
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      lines.on('line', (line) => this.handleLine(line, name));
      return once(lines, 'close').then(() => undefined);
    });
    this.exitPromise = new Promise<ChildExit>((resolve) => {
      const finish = (exit: ChildExit) => {
        if (this.exitInfo) return;
        this.exitInfo = exit;
        this.killGroup('SIGKILL');
        resolve(exit);
      };
      child.once('error', (err) => {
        // 'error' without a pid: the program never ran and no 'exit' follows.
        if (child.pid === undefined) finish({ code: null, signal: null, error: err.message });
      });
      child.once('exit', (code, signal) => {
        const drained = new Promise((r) => setTimeout(r, OUTPUT_DRAIN_MS).unref());
        void Promise.race([Promise.all([...streamsClosed, channelClosed]), drained]).then(() =>
          finish(startError === undefined ? { code, signal } : { code: null, signal: null, error: startError }),
        );
      });
    });
  }

  private handleLine(line: string, stream: OutputStream): void {
    this.options.onLine?.(line, stream);
    const readiness = this.options.readiness;
    if (stream === 'stdout' && readiness && 'line' in readiness && this.matchedLine === undefined && readiness.line.test(line)) {
      this.matchedLine = line;
      this.readyLine?.(line);
    }
  }

  /**
   * Resolves once the service is ready (with the matching line for line readiness);
   * rejects if it exits first or the deadline passes.
   */
  async waitUntilReady(timeoutMs: number): Promise<string | undefined> {
    const readiness = this.options.readiness;
    if (!this.child) throw new Error(`${this.name} was not started`);
    if (!readiness) return undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} was not ready after ${timeoutMs} ms`)), timeoutMs);
    });
    const died = this.exited.then((exit) => {
      throw new Error(`${this.name} exited before it was ready (${describeExit(exit)})`);
    });
    const ready =
      'line' in readiness
        ? new Promise<string>((resolve) => {
            if (this.matchedLine !== undefined) resolve(this.matchedLine);
            else this.readyLine = resolve;
          })
        : (async () => {
            while (!settled) {
              if (await answers200(readiness.http)) return undefined;
              await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
            }
            return undefined;
          })();
    try {
      return await Promise.race([ready, died, deadline]);
    } finally {
      settled = true;
      clearTimeout(timer);
      this.readyLine = undefined;
    }
  }

  /** SIGTERM, then SIGKILL (of its whole process group) once the deadline passes. */
  async stop(timeoutMs = this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS): Promise<StopResult> {
    this.stopRequested = true;
    const child = this.child;
    if (!child) return { code: null, signal: null, killed: false };
    if (this.exitInfo) return { ...this.exitInfo, killed: false };
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      this.killGroup('SIGKILL');
    }, timeoutMs);
    child.kill('SIGTERM');
    const exit = await this.exited;
    clearTimeout(timer);
    return { ...exit, killed };
  }

  /** Synchronous last resort, for the stack's own exit. */
  killNow(): void {
    this.stopRequested = true;
    this.killGroup('SIGKILL');
  }

  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  }
}
