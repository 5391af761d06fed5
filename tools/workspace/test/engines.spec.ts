import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { engineConflicts } from '../src/engine-ranges';
import { REPO_ROOT } from '../src/tracked-files';

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8'));
const declared = manifest.engines.node;

describe('declared Node.js versions', () => {
  it('every locked dependency supports every Node.js version the project declares', () => {
    expect(semver.validRange(declared)).not.toBeNull();
    expect(engineConflicts(declared, lock)).toEqual([]);
  });

  it('the README declares the same versions as package.json', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`${declared}\``);
  });

  it('the images run a Node.js version the project declares', () => {
    for (const app of ['api', 'ingestor', 'reconciler', 'ecs-sim']) {
      const dockerfile = readFileSync(path.join(REPO_ROOT, 'deploy/docker', `${app}.Dockerfile`), 'utf8');
      const major = /ARG NODE_IMAGE=node:(\d+)/.exec(dockerfile)?.[1];
      expect(major).toBeDefined();
      expect(semver.satisfies(`${major}.99.0`, declared)).toBe(true);
    }
  });

  it('names the packages that would warn, with the range they need', () => {
    const conflicts = engineConflicts('>=20', {
      packages: {
        '': { version: '1.0.0', engines: { node: '>=18' } },
        'node_modules/a': { version: '1.0.0', engines: { node: '>=18' } },
        'node_modules/x/node_modules/b': { version: '2.0.2', engines: { node: '>=22' } },
        'node_modules/c': { version: '3.0.0', engines: ['node >= 0.8'] },
      },
    });
    expect(conflicts).toEqual([{ name: 'b', version: '2.0.2', requires: '>=22' }]);
  });
});
