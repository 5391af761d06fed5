import { join } from 'node:path';
import { baselineResultSchema, type BaselineResult, type BaselineSpec } from './ingest-baseline-child';
import { spawnUntilReady } from './shared/child-process';
import { CpuSampler, type CpuUse } from './shared/process-cpu';

const CHILD = join(__dirname, 'ingest-baseline-child.ts');

/**
 * Runs a baseline in its own process and measures the CPU of that process
 * (named after the baseline's kind) and of `observed` while it runs: from
 * the signal that starts its clock to its result.
 */
export async function runBaseline(spec: BaselineSpec, observed: ReadonlyMap<string, number>): Promise<BaselineResult & { cpu: CpuUse[] }> {
  let resultLine: ((line: string) => void) | undefined;
  const resultSeen = new Promise<string>((resolve) => (resultLine = resolve));
  const { process: child } = await spawnUntilReady(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(spec)], {
    env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1' },
    ready: (line) => line === 'ready',
    onLine: (line) => {
      if (line.startsWith('result ')) resultLine?.(line.slice('result '.length));
    },
    // Generating the event stream for the ceiling takes a while.
    timeoutMs: 120_000,
  });
  try {
    const sampler = new CpuSampler(new Map([[spec.kind, child.pid], ...observed]));
    sampler.begin();
    child.child.kill('SIGUSR2');
    const line = await Promise.race([
      resultSeen,
      // 'close' comes after the last stdout line, so a result line always wins the race.
      new Promise<never>((_, reject) =>
        child.child.once('close', (code) => reject(new Error(`the ${spec.kind} baseline exited with ${code}: ${child.stderr()}`))),
      ),
    ]);
    const cpu = sampler.end();
    return { ...baselineResultSchema.parse(JSON.parse(line)), cpu };
  } finally {
    // The child exits by itself after its result (writing any profile it was asked for); stop it only if it hangs.
    const timer = setTimeout(() => void child.stop(2000), 15_000);
    await child.exited();
    clearTimeout(timer);
  }
}
