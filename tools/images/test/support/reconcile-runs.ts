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

/** Polls the run until `done` says so or the deadline passes; returns its last state. */
export async function pollRun(api: string, token: string, id: string, done: (run: ReconcileRun) => boolean, timeoutMs: number): Promise<ReconcileRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await reconcileRun(api, token, id);
    if (done(run) || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
