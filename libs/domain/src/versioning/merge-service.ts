import type { ServiceChange } from '../events/service-event';
import { canonicalJson } from '../json/canonical-json';
import type { ServiceDeployment, ServiceEventEntry, ServiceRecord } from '../records/service-record';

/** How many service events a record keeps unless configured otherwise. */
export const DEFAULT_SERVICE_EVENTS_LIMIT = 20;

/** The record of a service that holds only what one service event says. */
export function serviceOfChange(change: ServiceChange): ServiceRecord {
  return {
    serviceArn: change.serviceArn,
    serviceName: change.serviceName,
    clusterArn: change.clusterArn,
    deployments: change.rollout === undefined ? [] : [{ ...change.rollout }],
    events: [change.entry],
  };
}

/** Everything but what the ordering rule merges: what one DescribeServices snapshot says about the service itself. */
function describePart(record: ServiceRecord): string {
  const { deployments: _deployments, events: _events, describedAt: _describedAt, ...rest } = record;
  return canonicalJson(rest);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Snapshot order: a described record beats one known from events; later `describedAt`, then canonical text, break ties. */
function compareSnapshots(a: ServiceRecord, b: ServiceRecord): number {
  if (a.describedAt === undefined || b.describedAt === undefined) {
    return (a.describedAt === undefined ? 0 : 1) - (b.describedAt === undefined ? 0 : 1);
  }
  return compareText(a.describedAt, b.describedAt) || compareText(describePart(a), describePart(b));
}

// A finished rollout outranks IN_PROGRESS reported at the same instant.
function rolloutRank(state: string | undefined): number {
  if (state === undefined) return 0;
  return state === 'IN_PROGRESS' ? 1 : 2;
}

/** Rollout order of two reports on one deployment: `updatedAt`, then rank, then the state and reason texts. */
function compareRollouts(a: ServiceDeployment, b: ServiceDeployment): number {
  return (
    compareText(a.updatedAt, b.updatedAt) ||
    rolloutRank(a.rolloutState) - rolloutRank(b.rolloutState) ||
    compareText(a.rolloutState ?? '', b.rolloutState ?? '') ||
    compareText(a.rolloutStateReason ?? '', b.rolloutStateReason ?? '')
  );
}

function withRollout(base: ServiceDeployment, rollout: ServiceDeployment): ServiceDeployment {
  const { rolloutState: _state, rolloutStateReason: _reason, updatedAt: _updatedAt, ...rest } = base;
  const merged: Record<string, ServiceDeployment[string]> = { ...rest, updatedAt: rollout.updatedAt };
  if (rollout.rolloutState !== undefined) merged['rolloutState'] = rollout.rolloutState;
  if (rollout.rolloutStateReason !== undefined) merged['rolloutStateReason'] = rollout.rolloutStateReason;
  return merged as ServiceDeployment;
}

function mergeDeployments(winner: ServiceRecord, loser: ServiceRecord): ServiceDeployment[] {
  const fromLoser = new Map(loser.deployments.map((d) => [d.id, d]));
  const ids = new Set([...winner.deployments.map((d) => d.id), ...fromLoser.keys()]);
  const inWinner = new Map(winner.deployments.map((d) => [d.id, d]));
  const merged: ServiceDeployment[] = [];
  for (const id of ids) {
    const x = inWinner.get(id);
    const y = fromLoser.get(id);
    const rollout = x === undefined ? (y as ServiceDeployment) : y === undefined || compareRollouts(x, y) >= 0 ? x : y;
    // A deployment the newest snapshot lacks has ended, unless a report newer than that snapshot names it.
    if (x === undefined && winner.describedAt !== undefined && !(rollout.updatedAt > winner.describedAt)) continue;
    // The counts and the rest come from the newest snapshot that lists the deployment.
    const base = x?.status !== undefined ? x : y?.status !== undefined ? y : rollout;
    merged.push(withRollout(base, rollout));
  }
  return merged.sort((a, b) => compareText(b.createdAt ?? b.updatedAt, a.createdAt ?? a.updatedAt) || compareText(a.id, b.id));
}

/** Newest first; ties by event id, so every replica keeps the same ones. */
function compareEvents(a: ServiceEventEntry, b: ServiceEventEntry): number {
  return compareText(b.time, a.time) || compareText(b.eventId, a.eventId);
}

function mergeEvents(a: readonly ServiceEventEntry[], b: readonly ServiceEventEntry[], limit: number): ServiceEventEntry[] {
  const byId = new Map<string, ServiceEventEntry>();
  for (const entry of [...a, ...b]) {
    const seen = byId.get(entry.eventId);
    // One event id is one event; should two copies differ, the larger text wins on every replica.
    if (seen === undefined || compareText(canonicalJson(entry), canonicalJson(seen)) > 0) byId.set(entry.eventId, entry);
  }
  return [...byId.values()].sort(compareEvents).slice(0, limit);
}

/**
 * The ordering rule of services (README "Ordering rule"): the join of two
 * records of one service. It is commutative, associative and idempotent on the
 * reports of one history, so duplicates and any delivery order end in the same
 * record. `eventsLimit` bounds the events kept (newest first); without it none
 * are dropped.
 */
export function mergeServiceRecords(a: ServiceRecord, b: ServiceRecord, eventsLimit = Number.POSITIVE_INFINITY): ServiceRecord {
  const [winner, loser] = compareSnapshots(a, b) >= 0 ? [a, b] : [b, a];
  const { deployments: _deployments, events: _events, ...described } = winner;
  return {
    ...described,
    deployments: mergeDeployments(winner, loser),
    events: mergeEvents(a.events, b.events, eventsLimit),
  };
}

/** Equal but perhaps for `describedAt`: a snapshot that finds the stored state needs no write. */
export function sameServiceState(a: ServiceRecord, b: ServiceRecord): boolean {
  const { describedAt: _a, ...restA } = a;
  const { describedAt: _b, ...restB } = b;
  return canonicalJson(restA) === canonicalJson(restB);
}
