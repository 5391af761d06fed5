import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A child server process whose output is kept (last lines only) so a failed start
 * can say why, and which is never left behind when the parent exits.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private readonly tail: string[] = [];

  constructor(
    private readonly name: string,
    private readonly command: string,
    private readonly args: string[],
  ) {}

  start(): void {
    this.tail.length = 0;
    const child = spawn(this.command, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line) this.tail.push(line);
      if (this.tail.length > 40) this.tail.splice(0, this.tail.length - 40);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    this.child = child;
    liveProcesses.add(this);
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** SIGSTOP: the process keeps its sockets but answers nothing, as a hung server would. */
  pause(): void {
    if (!this.running) throw new Error(`${this.name} is not running`);
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after pause(). */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  recentOutput(): string {
    return this.tail.join('\n');
  }

  describeFailure(reason: string): Error {
    return new Error(`${this.name} ${reason}. Last output:\n${this.recentOutput()}`);
  }

  /** Stops the process with `signal` and resolves once it has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      liveProcesses.delete(this);
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    // A paused process acts on the signal only once it runs again.
    if (signal !== 'SIGKILL') child.kill('SIGCONT');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
    liveProcesses.delete(this);
  }

  killSync(): void {
    this.child?.kill('SIGKILL');
  }
}

const liveProcesses = new Set<ServerProcess>();
process.once('exit', () => {
  for (const p of liveProcesses) p.killSync();
});

/** A server that exited before it was ready: on a port picked as free, most likely one taken meanwhile. */
export class ServerExitedError extends Error {}

/**
 * Starts a server on ports picked as free, and picks them again when it exits during
 * start-up: between the pick and the bind another process (a server of another test
 * suite, an outgoing connection's local port) can take a port.
 */
export async function onFreePorts<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !(error instanceof ServerExitedError)) throw error;
    }
  }
}

/** Polls `probe` until it returns true, the process dies, or the deadline passes. */
export async function waitUntilReady(
  proc: ServerProcess,
  probe: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.running) throw new ServerExitedError(proc.describeFailure('exited during start-up').message);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw proc.describeFailure(`was not ready after ${timeoutMs} ms`);
}
