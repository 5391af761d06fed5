import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeContainersConf } from './container-engine-config';

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

export class PodmanError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: CommandResult,
  ) {
    super(`podman ${args.join(' ')} exited with ${result.status}: ${result.stderr.trim() || result.stdout.trim()}`);
  }
}

/** podman with the tool's containers.conf. */
export class Podman {
  /** The environment of every podman call: podman-compose, which calls podman, needs it too. */
  readonly env: NodeJS.ProcessEnv;

  constructor(confPath = writeContainersConf()) {
    this.env = { ...process.env, CONTAINERS_CONF: confPath };
  }

  /** Runs a short podman command; `check` (default) throws unless it exits 0. */
  run(args: readonly string[], options: { check?: boolean; input?: string; timeoutMs?: number } = {}): CommandResult {
    const result = spawnSync('podman', args, {
      env: this.env,
      input: options.input,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      timeout: options.timeoutMs ?? 120_000,
    });
    if (result.error) throw result.error;
    const outcome = { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
    if (options.check !== false && outcome.status !== 0) throw new PodmanError(args, outcome);
    return outcome;
  }

  /** Same, asynchronously: the event loop keeps serving in-process servers (the simulator) meanwhile. */
  runAsync(args: readonly string[], options: { check?: boolean; timeoutMs?: number } = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('podman', args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs ?? 120_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        const outcome = { status: code ?? 1, stdout, stderr };
        if (options.check !== false && outcome.status !== 0) reject(new PodmanError(args, outcome));
        else resolve(outcome);
      });
    });
  }

  /** A long command (a build, an import) whose output goes to a log file and, line by line, to `echo`. */
  stream(args: readonly string[], logFile: string, echo: (line: string) => void, stdin?: NodeJS.ReadableStream): Promise<void> {
    return new Promise((resolve, reject) => {
      const log = createWriteStream(logFile);
      const child = spawn('podman', args, { env: this.env, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
      if (stdin && child.stdin) stdin.pipe(child.stdin);
      let pending = '';
      const onData = (chunk: Buffer) => {
        log.write(chunk);
        pending += chunk.toString();
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          echo(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('error', reject);
      child.on('close', (code) => {
        log.end();
        if (code === 0) resolve();
        else reject(new Error(`podman ${args.join(' ')} exited with ${code}; see ${logFile}`));
      });
    });
  }

  imageExists(reference: string): boolean {
    return this.run(['image', 'exists', reference], { check: false }).status === 0;
  }

  /** `podman image inspect --format` of one image. */
  imageField(reference: string, format: string): string {
    return this.run(['image', 'inspect', '--format', format, reference]).stdout.trim();
  }
}
