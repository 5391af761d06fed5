import { randomUUID } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import { withDeadline } from './call-deadline';
import { ALL_CLUSTERS_SCOPE, normalizeClusterList, runScope } from './coalescing';
import { buildDriftReport } from './drift-report';
import type { ReconcileTrigger, RunJobData } from './job-data';
import { DEFAULT_QUEUE_PREFIX, JOB_NAMES, QUEUE_NAMES } from './names';
import { resolveConnection, type RedisConnectionInput } from './redis-connection';
import { classifyRedisFailure } from './redis-unavailable-error';
import { RUN_JOB_OPTIONS } from './job-options';
import { listRecentRuns } from './recent-runs';
import { viewRun, type ReconcileRunView } from './run-view';

export interface ReconcileClientOptions {
  /** Redis URL (`redis://`, `rediss://`) or an ioredis connection the caller keeps owning. */
  connection: RedisConnectionInput;
  /** Redis key prefix of the queues; must equal the reconciler's RECONCILE_QUEUE_PREFIX. */
  prefix?: string;
  /**
   * Longest a call (enqueue, get, ping) may take before it fails with
   * RedisUnavailableError; also each command's timeout on a connection made
   * from a URL. Default 5000.
   */
  timeoutMs?: number;
}

export const RECONCILE_CLIENT_DEFAULTS = { timeoutMs: 5_000 } as const;

export interface EnqueueOptions {
  /** Defaults to `manual`. */
  trigger?: ReconcileTrigger;
}

export interface EnqueueResult {
  /** The run's id, for `get()` (and `GET /v1/reconcile/{id}`). */
  id: string;
  /** True when an active run of the same scope (or of every cluster) absorbed this trigger; `id` is that run's. */
  coalesced: boolean;
}

export interface ReconcileClient {
  /**
   * Requests a reconcile of the given clusters (names or ARNs), or of every cluster
   * when the list is absent or empty. Resolves once the run is durable in Redis.
   * Every call rejects with RedisUnavailableError when Redis cannot answer in time.
   */
  enqueue(clusters?: readonly string[], options?: EnqueueOptions): Promise<EnqueueResult>;
  /** A run's state and drift report, or null when no run has that id (or it has expired). */
  get(id: string): Promise<ReconcileRunView | null>;
  /** The `limit` most recently requested runs that are still kept, newest first (queued, running and finished alike). */
  list(limit: number): Promise<ReconcileRunView[]>;
  /** Resolves when Redis answers; rejects otherwise (for readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Ids are UUIDs generated here; anything else cannot name a run. */
const RUN_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isRunId(id: string): boolean {
  return RUN_ID_PATTERN.test(id);
}

/** Producer side of the reconcile queues: what the REST API and the ops CLI use. */
export function createReconcileClient(options: ReconcileClientOptions): ReconcileClient {
  const timeoutMs = options.timeoutMs ?? RECONCILE_CLIENT_DEFAULTS.timeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError(`timeoutMs must be a positive integer, got ${timeoutMs}`);
  const { redis, owned } = resolveConnection(options.connection, 'producer', { commandTimeout: timeoutMs });
  const queue = new Queue(QUEUE_NAMES.runs, { connection: redis, prefix: options.prefix ?? DEFAULT_QUEUE_PREFIX });
  // Connection errors surface as rejected calls; the event would otherwise be printed to stderr.
  queue.on('error', () => undefined);
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await withDeadline(work(), timeoutMs);
    } catch (error) {
      throw classifyRedisFailure(error, redis);
    }
  };
  const client: ReconcileClient = {
    async enqueue(clusters, enqueueOptions = {}) {
      const list = normalizeClusterList(clusters);
      if (list !== null) {
        // A run over every cluster that is queued or running covers these too.
        const allRun = await queue.getDeduplicationJobId(ALL_CLUSTERS_SCOPE);
        if (allRun !== null) return { id: allRun, coalesced: true };
      }
      const id = randomUUID();
      const data: RunJobData = { trigger: enqueueOptions.trigger ?? 'manual', clusters: list, requestedAt: new Date().toISOString() };
      const job = await queue.add(JOB_NAMES.run, data, {
        jobId: id,
        deduplication: { id: runScope(list) },
        ...RUN_JOB_OPTIONS,
      });
      const actual = job.id ?? id;
      return { id: actual, coalesced: actual !== id };
    },
    async get(id) {
      if (!isRunId(id)) return null;
      const state = await queue.getJobState(id);
      const job = await Job.fromId(queue, id);
      if (job === undefined || job.name !== JOB_NAMES.run) return null;
      return viewRun(job, state, (runId, startedAt, done) => buildDriftReport(runId, startedAt, new Date().toISOString(), done));
    },
    async list(limit) {
      return listRecentRuns(queue, limit, (runId, startedAt, done) => buildDriftReport(runId, startedAt, new Date().toISOString(), done));
    },
    async ping() {
      // Without an offline queue a command fails until the connection is up; a client just created waits for it.
      await queue.waitUntilReady();
      await redis.ping();
    },
    async close() {
      // A stalled Redis must not hold a shutdown up.
      await withDeadline(queue.close(), timeoutMs).catch(() => undefined);
      if (owned) await withDeadline(redis.quit(), timeoutMs).catch(() => redis.disconnect());
    },
  };
  return {
    enqueue: (clusters, enqueueOptions) => call(() => client.enqueue(clusters, enqueueOptions)),
    get: (id) => call(() => client.get(id)),
    list: (limit) => call(() => client.list(limit)),
    ping: () => call(() => client.ping()),
    close: () => client.close(),
  };
}
