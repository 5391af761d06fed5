import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';

export interface ProcessMemory {
  /** Resident set size now, MiB. */
  readonly rssMiB: number;
  /** Peak resident set size, MiB. */
  readonly peakMiB: number;
}

/** A service under test in its own process, found by the URL it logs once it listens. */
export class ServiceProcess {
  private output = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('exit', () => (this.exited = true));
  }

  /** `outputFile`: every byte the process writes (logs, --trace-gc lines) is also appended there. */
  static async start(
    name: string,
    args: readonly string[],
    env: Readonly<Record<string, string>>,
    listeningMessage: string,
    outputFile?: string,
  ): Promise<ServiceProcess> {
    const child = spawn(process.execPath, [...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    if (outputFile !== undefined) {
      const copy = createWriteStream(outputFile, { flags: 'a' });
      child.stdout?.pipe(copy, { end: false });
      child.stderr?.pipe(copy, { end: false });
      child.on('exit', () => copy.end());
    }
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        for (const line of output.split('\n').slice(0, -1)) {
          if (!line.includes(`"message":"${listeningMessage}"`)) continue;
          const found = (JSON.parse(line) as { url?: unknown }).url;
          if (typeof found === 'string') resolve(found);
        }
        // Keep only the unfinished line; the logs are not needed once the URL is known.
        output = output.slice(output.lastIndexOf('\n') + 1);
      });
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`${name} exited with ${code} before it listened: ${output.slice(-2000)}`)));
    });
    const service = new ServiceProcess(child, url);
    child.stderr?.on('data', (chunk: Buffer) => (service.output = (service.output + chunk.toString()).slice(-4000)));
    return service;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  memory(): ProcessMemory {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 'NaN');
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  }

  /** Restarts the peak (VmHWM) from the current RSS, so that a later `memory().peakMiB` is the peak of what came after. */
  resetPeakMemory(): void {
    // Linux: writing 5 to clear_refs resets the peak resident set size (proc(5)).
    writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  }
}
