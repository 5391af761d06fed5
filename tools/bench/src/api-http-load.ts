import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { summarize, type LatencySummary } from './api-latency-stats';
import { watchClientPauses, type ClientPauses } from './client-pauses';
import { runChildJob } from './shared/child-job';

export interface LoadResult extends LatencySummary {
  readonly requestsPerSecond: number;
  readonly failures: number;
  readonly firstFailure?: string;
  /** The load generator's own stalls while it measured: part of every latency it reports. */
  readonly client?: ClientPauses;
}

// JSON turns the NaN of an empty summary into null.
const latency = z.number().nullable().transform((v) => v ?? Number.NaN);

const loadResultSchema = z.object({
  count: z.number(),
  p50: latency,
  p99: latency,
  max: latency,
  mean: latency,
  requestsPerSecond: z.number(),
  failures: z.number(),
  firstFailure: z.string().optional(),
  client: z
    .object({ loopDelayP99Ms: z.number(), loopDelayMaxMs: z.number(), gcPauses: z.number(), gcPauseTotalMs: z.number(), gcPauseMaxMs: z.number() })
    .optional(),
});

/**
 * A closed loop of `concurrency` keep-alive connections sending `paths` in
 * order, each connection one request at a time. Latency is from writing the
 * request to having read the whole body, per request, with process.hrtime.
 */
export async function runLoad(baseUrl: string, paths: readonly string[], concurrency: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(paths.length);
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const pauses = watchClientPauses();
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < paths.length) {
      const index = next++;
      const path = paths[index] as string;
      const t0 = process.hrtime.bigint();
      const { status, failureText } = await getDrained(agent, `${baseUrl}${path}`);
      latencies[index] = Number(process.hrtime.bigint() - t0) / 1e6;
      if (status !== 200) {
        failures++;
        firstFailure ??= `${status} ${path}: ${failureText.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const client = pauses.stop();
  agent.destroy();
  return { ...summarize(latencies), requestsPerSecond: paths.length / seconds, failures, ...(firstFailure === undefined ? {} : { firstFailure }), client };
}

/**
 * Reads the whole body but keeps none of a successful one. Decoding every
 * ~160 KB list page into a string (as `get` does) made the load generator
 * itself collect garbage in the middle of measured requests.
 */
function getDrained(agent: Agent, url: string): Promise<{ status: number; failureText: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      const status = res.statusCode ?? 0;
      const kept: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (status !== 200) kept.push(chunk);
      });
      res.on('end', () => resolve({ status, failureText: Buffer.concat(kept).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export function get(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Warms up with `warmUp`, then measures `paths`, in a separate process
 * (api-load-child.ts, started with `nodeArgs`), so that the bench's own heap
 * does not pause the measurement.
 */
export async function runLoadInChild(
  baseUrl: string,
  warmUp: readonly string[],
  paths: readonly string[],
  concurrency: number,
  nodeArgs: readonly string[] = [],
): Promise<LoadResult> {
  const { firstFailure, client, ...result } = await runChildJob(join(__dirname, 'api-load-child.ts'), { baseUrl, concurrency, warmUp, paths }, loadResultSchema, nodeArgs);
  return { ...result, ...(firstFailure === undefined ? {} : { firstFailure }), ...(client === undefined ? {} : { client }) };
}
