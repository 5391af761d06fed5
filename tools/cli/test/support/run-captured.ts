import { runCli, type CliIo } from '../../src/run-cli';

/** A finished CLI run: its exit code and what it wrote, one line per write. */
export interface Outcome {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process with `env`, capturing what it writes; `io` overrides any part of its I/O. */
export async function runCaptured(args: string[], env: Record<string, string>, io: Partial<CliIo> = {}): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env, out: (t) => out.push(t), err: (t) => err.push(t), ...io });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
