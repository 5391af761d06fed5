import { normalizeTask, type JsonValue, type TaskRecord } from '@ecs-state/domain';
import { createEcsService, createWorkload, mulberry32, type Random } from '@ecs-state/ecs-sim';
import { listReferenceEvents } from '@ecs-state/test-support';
import { toTaskEntity } from './entity';
import { renamedEntityBytes, taskEntityBytes } from './task-entity-bytes';

type Mutable = { [key: string]: JsonValue | undefined };

/** What the projection stored before: the renamed object, serialized. */
const entityBytes = (task: TaskRecord): Buffer => Buffer.from(JSON.stringify(toTaskEntity(task)));

/** Records as the view gets them: parsed from the stored JSON. */
const asStored = (record: unknown): TaskRecord => JSON.parse(JSON.stringify(record)) as TaskRecord;

function mismatches(tasks: readonly TaskRecord[]): { expected: string; actual: string }[] {
  return tasks
    .map((task) => ({ expected: entityBytes(task), actual: taskEntityBytes(task) }))
    .filter(({ expected, actual }) => !actual.equals(expected))
    .map(({ expected, actual }) => ({ expected: expected.toString('utf8'), actual: actual.toString('utf8') }));
}

function referenceTasks(): TaskRecord[] {
  return listReferenceEvents()
    .filter((event) => event.envelope['detail-type'] === 'ECS Task State Change')
    .map((event) => {
      const normalized = normalizeTask(event.envelope.detail);
      if (!normalized.ok) throw new Error(`${event.name}: ${normalized.message}`);
      return asStored(normalized.value);
    });
}

function simulatedTasks(): TaskRecord[] {
  const ecs = createEcsService({ seed: 11, transitionDelayMs: 0 });
  createWorkload(ecs, { seed: 11, clusters: 2, instancesPerCluster: 3, tasksPerCluster: 150 }).setup();
  const tasks = ecs.groundTruth().tasks;
  ecs.close();
  return tasks.map(({ tags: _tags, ...task }) => {
    const normalized = normalizeTask(task);
    if (!normalized.ok) throw new Error(normalized.message);
    return asStored(normalized.value);
  });
}

const STRINGS = ['', 'RUNNING', 'é', 'ü😀', '\ud800', 'a"b', 'back\\slash', 'line\nbreak\t\u0001', ',"taskArn":"x"', '{"containerArn":1}', 'x\\', 'Arn":'];

function pick<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

function chance(random: Random, p: number): boolean {
  return random() < p;
}

function text(random: Random): string {
  return Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, STRINGS)).join('');
}

function leaf(random: Random): JsonValue {
  return pick(random, [
    () => text(random),
    () => Math.floor(random() * 2000) - 1000,
    () => random() * 1e6,
    () => pick(random, [0, -0, 1e21, 5e-324, 2 ** 53]),
    () => chance(random, 0.5),
    () => null,
  ])();
}

/** Nested values, some with the renamed keys inside, which keep their names. */
function value(random: Random, depth: number): JsonValue {
  if (depth === 0 || chance(random, 0.6)) return leaf(random);
  if (chance(random, 0.5)) return Array.from({ length: Math.floor(random() * 3) }, () => value(random, depth - 1));
  const out: Mutable = {};
  for (let i = Math.floor(random() * 3); i > 0; i--) out[pick(random, ['a', 'taskArn', 'containerArn', 'clusterArn', '7', text(random)])] = value(random, depth - 1);
  return out;
}

/** Sets an own property, `__proto__` included. */
function put(target: Mutable, key: string, entry: JsonValue | undefined): void {
  Object.defineProperty(target, key, { value: entry, enumerable: true, writable: true, configurable: true });
}

function extras(random: Random, target: Mutable, rare: number): void {
  for (let i = Math.floor(random() * 4); i > 0; i--) {
    const key = chance(random, rare) ? pick(random, ['__proto__', '3', '10', 'containerInstanceArn', 'taskArn', 'toJSON']) : text(random);
    put(target, key, value(random, 3));
  }
}

function container(random: Random, rare: number): JsonValue {
  if (chance(random, rare / 2)) return pick(random, [null, 'odd', [1]]);
  const out: Mutable = {};
  const fields: [string, () => JsonValue | undefined][] = [
    ['containerArn', () => `arn:aws:ecs:us-east-1:1:container/${text(random)}`],
    ['taskArn', () => 'arn:aws:ecs:us-east-1:1:task/c/t'],
    ['name', () => text(random)],
    ['lastStatus', () => pick(random, ['RUNNING', 'PENDING'])],
    ['exitCode', () => Math.floor(random() * 3)],
    ['networkBindings', () => value(random, 2)],
  ];
  for (const [key, make] of fields) {
    if (chance(random, rare)) continue;
    put(out, key, chance(random, rare / 2) ? pick(random, [null, undefined]) : make());
  }
  if (chance(random, rare)) put(out, pick(random, ['containerARN', 'taskARN']), text(random));
  extras(random, out, rare);
  return out;
}

function overrides(random: Random, rare: number): JsonValue {
  if (chance(random, rare)) return pick(random, [null, 'none', [], { cpu: '256' }, { containerOverrides: null, taskRoleArn: 'r' }]);
  return { containerOverrides: Array.from({ length: Math.floor(random() * 3) }, () => ({ name: text(random), environment: [{ name: 'K', value: text(random) }] })), cpu: '256' };
}

/**
 * A task as a record may have it: the ECS fields in a random order, each at
 * times missing, null or undefined; both spellings of an ARN; extra
 * properties (integer-like keys, `__proto__`, unicode and escapes); odd
 * containers and overrides. `rare` is how often each oddity appears.
 */
function generatedTask(random: Random, rare: number): TaskRecord {
  const task: Mutable = {};
  const fields: [string, () => JsonValue | undefined][] = [
    ['taskArn', () => `arn:aws:ecs:us-east-1:1:task/c/${text(random)}`],
    ['clusterArn', () => 'arn:aws:ecs:us-east-1:1:cluster/c'],
    ['version', () => Math.floor(random() * 100)],
    ['lastStatus', () => 'RUNNING'],
    ['desiredStatus', () => 'RUNNING'],
    ['containerInstanceArn', () => 'arn:aws:ecs:us-east-1:1:container-instance/c/i'],
    ['taskDefinitionArn', () => 'arn:aws:ecs:us-east-1:1:task-definition/f:1'],
    ['createdAt', () => '2026-01-01T00:00:00.000Z'],
    ['containers', () => Array.from({ length: Math.floor(random() * 4) }, () => container(random, rare))],
    ['overrides', () => overrides(random, rare)],
    ['attachments', () => value(random, 3)],
    ['startedBy', () => text(random)],
  ];
  for (let i = fields.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [fields[i], fields[j]] = [fields[j] as (typeof fields)[number], fields[i] as (typeof fields)[number]];
  }
  for (const [key, make] of fields) {
    if (chance(random, rare)) continue;
    put(task, key, chance(random, rare / 2) ? pick(random, [null, undefined]) : make());
  }
  if (chance(random, rare)) put(task, pick(random, ['taskARN', 'clusterARN', 'containerInstanceARN', 'taskDefinitionARN']), text(random));
  extras(random, task, rare);
  return task as TaskRecord;
}

function generatedTasks(seed: number, count: number, rare: number): TaskRecord[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => generatedTask(random, rare));
}

describe('the task entity bytes', () => {
  it('are the bytes of the renamed entity for the reference records, each written by renaming', () => {
    const tasks = referenceTasks();
    expect(tasks.length).toBeGreaterThan(0);
    expect(mismatches(tasks)).toEqual([]);
    expect(tasks.filter((task) => renamedEntityBytes(task) === undefined)).toEqual([]);
  });

  it('are the bytes of the renamed entity for a simulated fleet (EC2 and Fargate), each written by renaming', () => {
    const tasks = simulatedTasks();
    expect(new Set(tasks.map((task) => task.launchType))).toEqual(new Set(['EC2', 'FARGATE']));
    expect(mismatches(tasks)).toEqual([]);
    expect(tasks.filter((task) => renamedEntityBytes(task) === undefined)).toEqual([]);
  });

  it.each([
    ['ordinary records with unicode, escapes and nested ARN keys', 1, 0.03],
    ['records full of oddities: missing, null and undefined fields, both spellings, odd containers and overrides', 2, 0.25],
  ])('are the bytes of the renamed entity for generated %s', (_name, seed, rare) => {
    const tasks = generatedTasks(seed, 3000, rare);
    expect(mismatches(tasks)).toEqual([]);
    // Both ways are exercised: renaming for most ordinary records, toTaskEntity for what renaming cannot give.
    const renamed = tasks.filter((task) => renamedEntityBytes(task) !== undefined).length;
    expect(renamed).toBeGreaterThan(tasks.length / 10);
    expect(renamed).toBeLessThan(tasks.length);
  });

  it('write non-ASCII JSON by renaming too', () => {
    const task = asStored({ taskArn: 'arn:aws:ecs:us-east-1:1:task/c/é😀', clusterArn: 'arn:aws:ecs:us-east-1:1:cluster/c', group: 'ü', containers: [{ containerArn: 'a', name: 'ñ', lastStatus: 'RUNNING', taskArn: 't' }] });
    expect(renamedEntityBytes(task)).toEqual(entityBytes(task));
  });

  it('keep a key that only ends like a renamed one', () => {
    const task = asStored({ taskArn: 't', clusterArn: 'c', 'x"taskArn': 1, containers: [{ containerArn: 'a', name: 'n', lastStatus: 'RUNNING', 'y"containerArn': 2 }] });
    expect(mismatches([task])).toEqual([]);
  });
});
