import { Agent } from 'node:http';
import { get } from './api-http-load';

/** Both servers must give the same answer to the same request, or the comparison means nothing. */
export async function assertSameAnswers(apiUrl: string, etcdUrl: string, paths: readonly string[]): Promise<void> {
  const agent = new Agent({ keepAlive: false });
  const itemsOf = (body: string): unknown => {
    const parsed = JSON.parse(body) as { items?: unknown; entity?: unknown };
    return parsed.items ?? parsed.entity;
  };
  for (const path of paths) {
    const [a, b, c] = await Promise.all([get(agent, `${apiUrl}${path}`), get(agent, `${etcdUrl}${path}`), get(agent, `${etcdUrl}/paged${path}`)]);
    if (a.status !== 200 || b.status !== 200) throw new Error(`${path}: api ${a.status}, etcd ${b.status}`);
    const expected = JSON.stringify(itemsOf(a.body));
    if (JSON.stringify(itemsOf(b.body)) !== expected) throw new Error(`${path}: the api and the etcd baseline answer differently`);
    if (path.includes('?') && JSON.stringify(itemsOf(c.body)) !== expected) throw new Error(`${path}: the api and the paged etcd baseline answer differently`);
  }
  agent.destroy();
}
