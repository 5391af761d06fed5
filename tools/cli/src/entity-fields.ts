import type { Entity } from './record-item';

/** A string property of an entity, undefined when absent, empty or not a string. */
export function textOf(entity: Entity, field: string): string | undefined {
  const value = entity[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The objects of an array property (containers, deployments, …); none when it is not an array. */
export function objectsOf(value: unknown): Entity[] {
  return Array.isArray(value) ? value.filter((v): v is Entity => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}

/** The id an ARN ends with (`…/<id>`): what ECS consoles and CLIs show. */
export function idOf(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const slash = arn.lastIndexOf('/');
  return slash < 0 ? arn : arn.slice(slash + 1);
}

/** `arn:…:cluster/prod` → `prod`. */
export function clusterNameOf(entity: Entity): string | undefined {
  return idOf(textOf(entity, 'clusterARN'));
}

/** `arn:…:task-definition/web:12` → `web:12`; a service names its task definition in `taskDefinition`. */
export function familyRevisionOf(entity: Entity, field: 'taskDefinitionARN' | 'taskDefinition' = 'taskDefinitionARN'): string | undefined {
  const arn = textOf(entity, field);
  if (arn === undefined) return undefined;
  const marker = ':task-definition/';
  const at = arn.indexOf(marker);
  return at < 0 ? arn : arn.slice(at + marker.length);
}
