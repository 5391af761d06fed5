import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './stack-process';

/** The commands the ready banner suggests, one per line, as printed. */
export function bannerCommands(output: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.startsWith('Try'));
  if (start < 0) return [];
  const commands: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    commands.push(line.trim());
  }
  return commands;
}

/** Every fenced `sh` block of a repository markdown file that calls the api with curl (`$API` or `$API_URL`). */
export function readmeApiBlocks(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
    .map((m) => m[1] ?? '')
    .filter((block) => /\bcurl\b/.test(block) && /\$API\b|\$API_URL\b/.test(block));
}

// The user's shell, made strict and finite: a curl that gets an HTTP error fails, and so
// does the script; a stream (`curl -sN`) is cut after a few seconds, which counts as
// success once it has delivered something.
const PRELUDE = String.raw`
set -eo pipefail
curl() {
  if [[ " $* " == *" -sN "* ]]; then
    local status=0
    timeout 4 curl --fail-with-body "$@" > stream.out || status=$?
    if [[ $status != 124 || ! -s stream.out ]]; then
      echo "stream: curl status $status after $(wc -c < stream.out) bytes" >&2
      return 1
    fi
    head -c 300 stream.out
  else
    command curl --fail-with-body "$@"
  fi
}
`;

export interface ShellRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs example commands with bash, tracing each one, in a scratch directory. */
export function runExamples(commands: string, env: Record<string, string> = {}): Promise<ShellRun> {
  const dir = mkdtempSync(join(tmpdir(), 'local-stack-examples-'));
  return new Promise((resolve) => {
    execFile('bash', ['-x', '-c', `${PRELUDE}\n${commands}`], { cwd: dir, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A README block without its `export API=…` line: the banner's, shown there with placeholder values. */
export function withoutBannerExport(block: string): string {
  return block
    .split('\n')
    .filter((line) => !line.startsWith('export API='))
    .join('\n');
}
