import { createHash } from 'node:crypto';

/** Deduplication id of a run over every cluster. */
export const ALL_CLUSTERS_SCOPE = 'all';

/**
 * A trigger is coalesced with an active (queued or running) run of the same
 * scope: every cluster, or the same set of clusters in any order.
 */
export function runScope(clusters: readonly string[] | null): string {
  if (clusters === null) return ALL_CLUSTERS_SCOPE;
  const canonical = [...new Set(clusters)].sort().join('\n');
  return `clusters:${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}

/** The cluster list of a trigger: null for every cluster, else the distinct names/ARNs in a stable order. */
export function normalizeClusterList(clusters: readonly string[] | undefined | null): string[] | null {
  if (clusters === undefined || clusters === null || clusters.length === 0) return null;
  return [...new Set(clusters.map((c) => c.trim()).filter((c) => c.length > 0))].sort();
}
