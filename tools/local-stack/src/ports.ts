import { freePort } from '@ecs-state/local-services';
import { createServer } from 'node:net';
import type { PortRequest } from './stack-config';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * An explicitly requested port must be free (0: any free port); a default port that
 * is taken gives way to a free one, so a second stack or a busy 3000 does not stop
 * the first run.
 */
export async function resolvePort(name: string, request: PortRequest): Promise<number> {
  if (request.port === 0) return freePort();
  if (await isPortFree(request.port)) return request.port;
  if (request.explicit) throw new Error(`${name}=${request.port} is already in use; choose another port or 0 for any free one`);
  return freePort();
}
