import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { V1_SPECIFICATION_FILE } from '@ecs-state/test-support';
import { startHarness, type Harness } from './support/api-harness';
import { task } from './support/records';
import { listenOnLoopback } from './support/listen-on-loopback';

type ClientMethod = (...args: unknown[]) => Promise<Response & { data: unknown }>;
interface ClientConfig {
  baseUrl?: string;
  customFetch?: typeof fetch;
}
interface GeneratedModule {
  Api: new (config?: ClientConfig) => Record<string, unknown> & { baseUrl: string };
  HttpClient: new (config?: ClientConfig) => Record<string, unknown>;
}

/** swagger-typescript-api's command line, as `npx swagger-typescript-api` runs it. */
function generatorCli(): string {
  const manifestPath = require.resolve('swagger-typescript-api/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifestPath), manifest.bin['swagger-typescript-api'] as string);
}

async function generate(source: string, directory: string, name: string): Promise<GeneratedModule> {
  await promisify(execFile)(process.execPath, [generatorCli(), 'generate', '--path', source, '--output', directory, '--name', name, '--silent'], {
    timeout: 60_000,
  });
  return (await import(join(directory, name))) as GeneratedModule;
}

/** Every method of a generated client by name, whatever module (`tasks`, `v1`, …) the generator put it in. */
function methodsOf(module: GeneratedModule, config: ClientConfig): Map<string, ClientMethod> {
  const api = new module.Api(config);
  const inherited = new Set(Object.keys(new module.HttpClient()));
  const methods = new Map<string, ClientMethod>();
  for (const [moduleName, group] of Object.entries(api)) {
    if (inherited.has(moduleName) || group === null || typeof group !== 'object') continue;
    for (const [name, method] of Object.entries(group)) if (typeof method === 'function') methods.set(name, method as ClientMethod);
  }
  return methods;
}

/** The path under which a client sends its requests: the path part of the base URL the document declares. */
function basePath(module: GeneratedModule): string {
  return new URL(new module.Api().baseUrl, 'http://server').pathname.replace(/\/$/, '');
}

describe('clients generated from the OpenAPI document', () => {
  let h: Harness;
  let url: string;
  let directory: string;
  let original: GeneratedModule;
  let ours: GeneratedModule;

  beforeAll(async () => {
    h = await startHarness('generated-clients');
    await h.put(task({ id: 'gen1', cluster: 'gen' }));
    url = await listenOnLoopback(h.app);
    directory = await mkdtemp(join(tmpdir(), 'ecs-state-clients-'));
    [original, ours] = await Promise.all([
      generate(V1_SPECIFICATION_FILE, directory, 'original.ts'),
      generate(`${url}/docs/json`, directory, 'ours.ts'),
    ]);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('have every method of a client generated from the original specification, with the same HTTP method and path', async () => {
    const sent: { method: string; path: string }[] = [];
    const customFetch: typeof fetch = async (input, init) => {
      sent.push({ method: init?.method ?? 'GET', path: new URL(String(input)).pathname });
      return new Response('{}', { headers: { 'content-type': 'application/json' } });
    };
    const originalMethods = methodsOf(original, { baseUrl: `http://server${basePath(original)}`, customFetch });
    const ourMethods = methodsOf(ours, { baseUrl: `http://server${basePath(ours)}`, customFetch });
    expect([...originalMethods.keys()].sort()).toEqual(['getInstance', 'getTask', 'listInstances', 'listTasks', 'streamInstances', 'streamTasks']);

    for (const [name, method] of originalMethods) {
      // Path parameters come first; placeholders show where each one lands in the path.
      const args = Array.from({ length: method.length }, (_, i) => `p${i}`);
      await method(...args);
      const ourMethod = ourMethods.get(name);
      expect({ name, exists: ourMethod !== undefined }).toEqual({ name, exists: true });
      await ourMethod?.(...args);
      const [expected, actual] = sent.splice(0);
      expect(expected?.path).toMatch(/^\/v1\/(tasks|instances|stream)/);
      expect({ name, request: actual }).toEqual({ name, request: expected });
    }
  });

  it('work against the server: ours as generated, the original pointed at it', async () => {
    const arn = 'arn:aws:ecs:us-west-2:111122223333:task/gen/gen1';
    const fromOurs = methodsOf(ours, { baseUrl: `${url}${basePath(ours)}` });
    const fromOriginal = methodsOf(original, { baseUrl: `${url}${basePath(original)}` });
    for (const client of [fromOurs, fromOriginal]) {
      const list = await client.get('listTasks')?.({ cluster: 'gen' });
      expect(list?.data).toMatchObject({ items: [{ entity: { taskARN: arn } }] });
      const one = await client.get('getTask')?.('gen', encodeURIComponent(arn));
      expect(one?.data).toMatchObject({ entity: { taskARN: arn } });
    }
  });
});
