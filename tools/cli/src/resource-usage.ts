import type { Entity } from './record-item';

export interface ResourceUse {
  registered: number;
  remaining: number;
  used: number;
  /** used / registered, 0 when nothing is registered. */
  share: number;
}

/** CPU units or MiB of memory an instance has registered, and how much its tasks reserve. */
export function resourceUse(entity: Entity, name: 'CPU' | 'MEMORY'): ResourceUse | undefined {
  const registered = amount(entity['registeredResources'], name);
  const remaining = amount(entity['remainingResources'], name);
  if (registered === undefined || remaining === undefined) return undefined;
  const used = registered - remaining;
  return { registered, remaining, used, share: registered > 0 ? used / registered : 0 };
}

/** `512/4096` */
export function useText(use: ResourceUse | undefined): string {
  return use === undefined ? '-' : `${use.used}/${use.registered}`;
}

/** `12%` */
export function shareText(use: ResourceUse | undefined): string {
  return use === undefined ? '-' : `${Math.round(use.share * 100)}%`;
}

function amount(resources: unknown, name: string): number | undefined {
  if (!Array.isArray(resources)) return undefined;
  const resource: unknown = resources.find((r: unknown) => typeof r === 'object' && r !== null && (r as { name?: unknown }).name === name);
  if (typeof resource !== 'object' || resource === null) return undefined;
  // ECS's typed value, or the v1 string `value` the API adds beside it.
  const { integerValue, longValue, doubleValue, value } = resource as Record<string, unknown>;
  for (const n of [integerValue, longValue, doubleValue]) if (typeof n === 'number') return n;
  const parsed = typeof value === 'string' && value !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}
