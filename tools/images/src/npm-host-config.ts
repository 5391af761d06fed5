import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** How this machine's npm reaches its registry: what `npm ci` inside a build needs too. */
export interface NpmHostConfig {
  registry: string;
  /** PEM files whose CAs npm trusts here besides Node's own (an egress proxy's CA, say). */
  caFiles: string[];
  proxy: string | undefined;
  httpsProxy: string | undefined;
  noProxy: string | undefined;
}

function npmConfig(key: string): string | undefined {
  const value = execFileSync('npm', ['config', 'get', key], { encoding: 'utf8' }).trim();
  return value === '' || value === 'null' || value === 'undefined' ? undefined : value;
}

function env(...names: string[]): string | undefined {
  for (const name of names) {
    const value = process.env[name];
    if (value) return value;
  }
  return undefined;
}

export function readNpmHostConfig(): NpmHostConfig {
  const candidates = [npmConfig('cafile'), process.env['NODE_EXTRA_CA_CERTS']];
  return {
    registry: npmConfig('registry') ?? 'https://registry.npmjs.org/',
    caFiles: [...new Set(candidates.filter((path): path is string => path !== undefined && existsSync(path)))],
    proxy: npmConfig('proxy') ?? env('HTTP_PROXY', 'http_proxy'),
    httpsProxy: npmConfig('https-proxy') ?? env('HTTPS_PROXY', 'https_proxy'),
    noProxy: npmConfig('noproxy') ?? env('NO_PROXY', 'no_proxy'),
  };
}
