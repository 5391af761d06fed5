import { spawn, type ChildProcess } from 'node:child_process';

export interface StartedProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything written to stderr so far, to explain a failure. */
  stderr(): string;
  /** Resolves once the process has exited. */
  exited(): Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns a process and resolves once one of its stdout lines satisfies `ready`
 * (returning that line), or rejects if it exits first or takes longer than `timeoutMs`.
 */
export async function spawnUntilReady(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; ready: (line: string) => boolean; timeoutMs?: number; onLine?: (line: string) => void },
): Promise<{ process: StartedProcess; readyLine: string }> {
  const child = spawn(command, [...args], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Only the tail matters for a diagnosis; a chatty process must not grow memory.
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started: StartedProcess = {
    pid: child.pid ?? -1,
    child,
    stderr: () => stderr,
    exited: () => exit,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };

  const readyLine = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    let found = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} was not ready within ${options.timeoutMs ?? 30_000} ms: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        options.onLine?.(line);
        if (!found && options.ready(line)) {
          found = true;
          clearTimeout(timer);
          resolve(line);
        }
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      if (!found) reject(new Error(`${command} exited with ${code} before it was ready: ${stderr}`));
    });
  });
  return { process: started, readyLine };
}
