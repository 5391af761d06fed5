/**
 * The read load generator as a process of its own: its heap holds only the
 * request paths, so its own garbage collection (every response body is read
 * into fresh buffers) costs microseconds, not the milliseconds a large heap
 * would add to the latencies it measures.
 *
 * Usage: api-load-child.ts <plan file> <result file>; the plan is a JSON
 * LoadPlan. The warm-up runs first in the same process, so that the measured
 * requests find this process's code as warm as the server's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { runLoad } from './api-http-load';

export const loadPlanSchema = z.object({
  baseUrl: z.string(),
  concurrency: z.number().int().min(1),
  warmUp: z.array(z.string()),
  paths: z.array(z.string()),
});
export type LoadPlan = z.infer<typeof loadPlanSchema>;

async function main(): Promise<void> {
  const [planFile, resultFile] = process.argv.slice(2);
  if (planFile === undefined || resultFile === undefined) throw new Error('usage: api-load-child.ts <plan file> <result file>');
  const plan = loadPlanSchema.parse(JSON.parse(readFileSync(planFile, 'utf8')));
  if (plan.warmUp.length > 0) await runLoad(plan.baseUrl, plan.warmUp, plan.concurrency);
  const result = await runLoad(plan.baseUrl, plan.paths, plan.concurrency);
  writeFileSync(resultFile, JSON.stringify(result));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
