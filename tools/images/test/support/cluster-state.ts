import type { Simulator } from '@ecs-state/ecs-sim';
import { eventually } from '@ecs-state/test-support';

/** ARN → version of every task and container instance. */
export type Versions = Map<string, number>;

interface ListAnswer {
  items: { entity: { taskARN?: string; containerInstanceARN?: string; version: number } }[];
}

/** What the simulated ECS really holds. */
export function truth(sim: Simulator): Versions {
  const world = sim.ecs?.groundTruth();
  if (!world) throw new Error('the simulator runs no ECS');
  const versions: Versions = new Map();
  for (const task of world.tasks) versions.set(task.taskArn ?? '', task.version ?? -1);
  for (const instance of world.containerInstances) versions.set(instance.containerInstanceArn ?? '', instance.version ?? -1);
  return versions;
}

/** What the api serves: every task and instance, with its version. */
export async function served(api: string, token: string): Promise<Versions> {
  const versions: Versions = new Map();
  for (const path of ['/v1/tasks', '/v1/instances']) {
    const answer = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${await answer.text()}`);
    for (const { entity } of ((await answer.json()) as ListAnswer).items) versions.set(entity.taskARN ?? entity.containerInstanceARN ?? '', entity.version);
  }
  return versions;
}

/** The entries on which the two disagree, for a readable failure. */
export function differences(expected: Versions, actual: Versions): string[] {
  const keys = new Set([...expected.keys(), ...actual.keys()]);
  return [...keys].filter((key) => expected.get(key) !== actual.get(key)).map((key) => `${key}: expected ${expected.get(key)}, served ${actual.get(key)}`);
}

/** Polls until the api serves exactly what ECS holds; fails with the differences left at the deadline. */
export async function untilServedMatchesTruth(sim: Simulator, api: string, token: string, timeoutMs: number): Promise<void> {
  let left: string[] = [];
  await eventually(
    'the api to serve exactly what ECS holds',
    async () => {
      left = differences(truth(sim), await served(api, token));
      return left.length === 0;
    },
    { timeoutMs, intervalMs: 500, context: () => `differences left:\n${left.join('\n')}` },
  );
}
