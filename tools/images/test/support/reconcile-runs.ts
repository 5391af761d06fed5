import { eventually } from '@ecs-state/test-support';

/** The answer of GET /v1/reconcile/{id}, as far as these tests read it. */
export interface ReconcileRun {
  state: 'queued' | 'running' | 'completed' | 'failed';
  plannedClusters: number | null;
  report: { clusters: { cluster: string; outcome: string }[] } | null;
}

export async function requestReconcile(api: string, token: string): Promise<string> {
  const answer = await fetch(`${api}/v1/reconcile`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  if (answer.status !== 202) throw new Error(`POST /v1/reconcile: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { id: string }).id;
}

export async function reconcileRun(api: string, token: string, id: string): Promise<ReconcileRun> {
  const answer = await fetch(`${api}/v1/reconcile/${id}`, { headers: { authorization: `Bearer ${token}` } });
  if (answer.status !== 200) throw new Error(`GET /v1/reconcile/${id}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as ReconcileRun;
}

/** Polls the run until `done` says so and returns that state; fails with its last state at the deadline. */
export async function pollRun(api: string, token: string, id: string, done: (run: ReconcileRun) => boolean, timeoutMs: number): Promise<ReconcileRun> {
  let last: ReconcileRun | undefined;
  return eventually(
    `reconcile run ${id}`,
    async () => {
      last = await reconcileRun(api, token, id);
      return done(last) ? last : undefined;
    },
    { timeoutMs, intervalMs: 250, context: () => `its last state: ${JSON.stringify(last)}` },
  );
}
