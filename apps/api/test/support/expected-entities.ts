import { normalizeContainerInstance, normalizeTask } from '@ecs-state/domain';
import type { Simulator } from '@ecs-state/ecs-sim';
import { toInstanceEntity, toTaskEntity } from '@ecs-state/rest-api';

export type Entity = Record<string, unknown>;

/** The simulated ECS's ground truth as v1 entities, by ARN: what the api must answer once ingestion caught up. */
export function expectedEntities(sim: Simulator): { tasks: Map<string, Entity>; instances: Map<string, Entity> } {
  if (!sim.ecs) throw new Error('the simulator runs without ECS');
  const truth = sim.ecs.groundTruth();
  // Events carry no tags, so stored records have none.
  const withoutTags = <T extends { tags?: unknown }>({ tags: _tags, ...rest }: T) => rest;
  const tasks = new Map<string, Entity>();
  for (const task of truth.tasks) {
    const record = normalizeTask(withoutTags(task));
    if (!record.ok) throw new Error(`ground-truth task does not normalize: ${record.message}`);
    tasks.set(record.value.taskArn, asJson(toTaskEntity(record.value)));
  }
  const instances = new Map<string, Entity>();
  for (const instance of truth.containerInstances) {
    const record = normalizeContainerInstance(withoutTags(instance));
    if (!record.ok) throw new Error(`ground-truth instance does not normalize: ${record.message}`);
    instances.set(record.value.containerInstanceArn, asJson(toInstanceEntity(record.value)));
  }
  return { tasks, instances };
}

/** What a client decodes from the entity's JSON. */
function asJson(entity: object): Entity {
  return JSON.parse(JSON.stringify(entity)) as Entity;
}

/** Entities of `all` for which `keep` holds, by ARN. */
export function where(all: Map<string, Entity>, keep: (entity: Entity) => boolean): Map<string, Entity> {
  return new Map([...all].filter(([, entity]) => keep(entity)));
}

/** Readable differences between two entity maps (first few), empty when equal. */
export function entityDifferences(expected: Map<string, Entity>, actual: Map<string, Entity>): string[] {
  const out: string[] = [];
  for (const [arn, entity] of expected) {
    const got = actual.get(arn);
    if (got === undefined) out.push(`missing ${arn}`);
    else if (canonical(got) !== canonical(entity)) out.push(`differs ${arn}: expected v${String(entity['version'])} ${String(entity['lastStatus'] ?? entity['status'])}, got v${String(got['version'])} ${String(got['lastStatus'] ?? got['status'])}`);
  }
  for (const arn of actual.keys()) if (!expected.has(arn)) out.push(`unexpected ${arn}`);
  return out;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}
