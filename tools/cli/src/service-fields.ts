import { currentDeployment } from '@ecs-state/domain';
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

/** The deployment the API's `rolloutState` filter reads (domain's `currentDeployment`). */
export function primaryDeploymentOf(service: Entity): Entity | undefined {
  return currentDeployment(deploymentsOf(service));
}

/** `EC2`, `FARGATE`, or the capacity providers of its strategy (`FARGATE_SPOT:1,FARGATE:3`). */
export function launchOf(service: Entity): string | undefined {
  const launchType = textOf(service, 'launchType');
  if (launchType !== undefined) return launchType;
  const strategy = objectsOf(service['capacityProviderStrategy']);
  if (strategy.length === 0) return undefined;
  return strategy.map((item) => `${textOf(item, 'capacityProvider') ?? '?'}:${String(item['weight'] ?? 0)}`).join(',');
}
