import { readFileSync } from 'node:fs';

/**
 * This process's hard limit of open files. Build steps get 1024 unless told otherwise,
 * too few for `npm ci` filling an empty cache; the sandbox refuses any limit above its own.
 */
export function openFilesHardLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith('Max open files'));
  const hard = line?.split(/\s{2,}/)[2];
  const value = hard === 'unlimited' ? 1_048_576 : Number(hard);
  return Number.isFinite(value) && value > 0 ? value : 1024;
}
