/**
 * Writes the stream benchmark's task updates to etcd from a process of its
 * own. The bench process also runs the 1,000 stream clients; a Put's answer
 * waiting there behind their data would make etcd's commit look later than
 * it was. Times are wall-clock milliseconds (timeOrigin + now), comparable
 * across processes on one machine.
 *
 * Usage: api-stream-writer-child.ts <plan file> <result file>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseKeyPrefix, type TaskRecord } from '@ecs-state/domain';
import { createEtcdClient, loadEtcdConfig, stateRecordCodec } from '@ecs-state/etcd-store';
import { z } from 'zod';

export interface WriterPlan {
  readonly etcdEndpoint: string;
  readonly prefix: string;
  /** The task each write updates, reused from the start when there are more writes. */
  readonly tasks: readonly TaskRecord[];
  /** Writes before the measured ones, at the same rate, that warm up the api's and the clients' code paths. */
  readonly warmUpWrites: number;
  readonly writes: number;
  readonly ratePerSecond: number;
}

export const writeTimesSchema = z.array(z.object({ revision: z.number(), issuedAt: z.number(), committedAt: z.number(), warmUp: z.boolean() }));
export type WriteTimes = z.infer<typeof writeTimesSchema>;

export const wallClock = (): number => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const [planFile, resultFile] = process.argv.slice(2);
  if (planFile === undefined || resultFile === undefined) throw new Error('usage: api-stream-writer-child.ts <plan file> <result file>');
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as WriterPlan;
  const prefix = parseKeyPrefix(plan.prefix);
  if (!prefix.ok) throw new Error(prefix.message);
  const codec = stateRecordCodec(prefix.value);
  const client = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: plan.etcdEndpoint }));
  const times: WriteTimes = [];
  const interval = 1000 / plan.ratePerSecond;
  const begin = performance.now();
  const puts: Promise<void>[] = [];
  const total = plan.warmUpWrites + plan.writes;
  for (let i = 0; i < total; i++) {
    const wait = begin + i * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const task = plan.tasks[i % plan.tasks.length] as TaskRecord;
    const state = { kind: 'task' as const, record: { ...task, version: task.version + 1 + i } };
    const value = Buffer.from(codec.encode(state));
    const issuedAt = wallClock();
    const warmUp = i < plan.warmUpWrites;
    puts.push(
      client
        .put(codec.keyOf(state))
        .value(value)
        .exec()
        .then((response) => void times.push({ revision: Number(response.header.revision), issuedAt, committedAt: wallClock(), warmUp })),
    );
  }
  await Promise.all(puts);
  writeFileSync(resultFile, JSON.stringify(times));
  client.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
