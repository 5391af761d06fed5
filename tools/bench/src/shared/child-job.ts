import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';

/**
 * Runs a bench script in a process of its own, for work whose timing must not
 * share this process's heap or event loop: the script gets the JSON of `plan`
 * in a file (argv[2]) and writes its result as JSON to another (argv[3]).
 * `nodeArgs` are Node.js flags for it (e.g. a larger young generation).
 */
export async function runChildJob<T>(script: string, plan: unknown, result: z.ZodType<T>, nodeArgs: readonly string[] = []): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-job-'));
  try {
    const planFile = join(dir, 'plan.json');
    const resultFile = join(dir, 'result.json');
    writeFileSync(planFile, JSON.stringify(plan));
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, planFile, resultFile], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
    });
    return result.parse(JSON.parse(readFileSync(resultFile, 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
