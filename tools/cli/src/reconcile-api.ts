import type { ApiHttp } from './api-http';
import { runRequestedSchema, runViewSchema, type RunRequested, type RunView } from './run-view';

/** The reconcile routes of the REST API: `POST /v1/reconcile`, `GET /v1/reconcile/{id}`. */
export class ReconcileApi {
  constructor(private readonly http: ApiHttp) {}

  /** Every cluster when `clusters` is empty. */
  async requestRun(clusters: readonly string[]): Promise<RunRequested> {
    const response = await this.http.send('v1/reconcile', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(clusters.length === 0 ? {} : { clusters }),
    });
    return this.http.readJson(response, 202, runRequestedSchema);
  }

  /** null when the API knows no run of that id (unknown or expired). */
  async getRun(id: string, signal?: AbortSignal): Promise<RunView | null> {
    const response = await this.http.send(`v1/reconcile/${encodeURIComponent(id)}`, { method: 'GET' }, signal);
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    return this.http.readJson(response, 200, runViewSchema);
  }
}
