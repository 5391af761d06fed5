import type { ApiFlags } from './args';
import { UsageError } from './usage-error';

/** `npm start` serves the API here. */
export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export interface ApiTarget {
  /** Base URL of the API, ending with `/` so that `v1/…` resolves below any path prefix. */
  base: URL;
  token: string | undefined;
}

/** The API to talk to: flags first, then ECS_STATE_URL / ECS_STATE_TOKEN. */
export function resolveApiTarget(flags: ApiFlags, env: NodeJS.ProcessEnv): ApiTarget {
  const given = flags.url ?? (env['ECS_STATE_URL'] || DEFAULT_API_URL);
  let base: URL;
  try {
    base = new URL(given);
  } catch {
    throw new UsageError(`the API URL ${JSON.stringify(given)} is not a URL (--url or ECS_STATE_URL, e.g. ${DEFAULT_API_URL})`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new UsageError(`the API URL ${JSON.stringify(given)} must start with http:// or https://`);
  }
  if (base.search !== '' || base.hash !== '') throw new UsageError(`the API URL ${JSON.stringify(given)} must not have a query or fragment`);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const token = (flags.token ?? env['ECS_STATE_TOKEN'] ?? '').trim();
  return { base, token: token === '' ? undefined : token };
}
