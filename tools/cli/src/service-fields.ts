import { objectsOf, textOf } from './entity-fields';
import type { Entity } from './record-item';

/** A service's deployments, newest first, as the API lists them. */
export function deploymentsOf(service: Entity): Entity[] {
  return objectsOf(service['deployments']);
}

/** A service's last events, newest first. */
export function serviceEventsOf(service: Entity): Entity[] {
  return objectsOf(service['events']);
}

/**
 * The deployment being rolled out, or the last one, by the API's rule for its
 * `rolloutState` filter: the PRIMARY one, unless one known only from its events
 * (no `status`) is listed before it, which is newer and so the PRIMARY now.
 */
export function primaryDeploymentOf(service: Entity): Entity | undefined {
  return deploymentsOf(service).find((deployment) => {
    const status = textOf(deployment, 'status');
    return status === undefined || status === 'PRIMARY';
  });
}

/** `EC2`, `FARGATE`, or the capacity providers of its strategy (`FARGATE_SPOT:1,FARGATE:3`). */
export function launchOf(service: Entity): string | undefined {
  const launchType = textOf(service, 'launchType');
  if (launchType !== undefined) return launchType;
  const strategy = objectsOf(service['capacityProviderStrategy']);
  if (strategy.length === 0) return undefined;
  return strategy.map((item) => `${textOf(item, 'capacityProvider') ?? '?'}:${String(item['weight'] ?? 0)}`).join(',');
}
