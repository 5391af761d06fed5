import { findOutsideReferences } from '../src/outside-references';
import { readText, REPO_ROOT, repositoryFiles } from '../src/tracked-files';

// A clone anywhere, with nothing beside it, must build and pass its tests: no
// file may point at a path outside the repository.
describe('the repository stands on its own', () => {
  it('no file refers to a path outside the repository root', () => {
    const found = repositoryFiles()
      .filter((file) => file !== 'package-lock.json')
      .flatMap((file) => {
        const content = readText(REPO_ROOT, file);
        return content === undefined ? [] : findOutsideReferences(REPO_ROOT, file, content);
      })
      .map((reference) => `${reference.file}:${reference.line}: ${reference.text} (-> ${reference.resolved})`);
    expect(found).toEqual([]);
  });
});

describe('findOutsideReferences', () => {
  const root = '/repo';
  const find = (file: string, content: string) => findOutsideReferences(root, file, content).map((reference) => reference.resolved);
  // Built, not written out, so that this file does not itself point outside the repository.
  const up = (levels: number) => '../'.repeat(levels);
  const upSegments = (levels: number) => Array(levels).fill("'..'").join(', ');

  it('resolves relative paths from the file that writes them', () => {
    expect(find('libs/a/test/x.spec.ts', `const dir = join(__dirname, '${up(4)}fixtures');`)).toEqual(['/fixtures']);
    expect(find('libs/a/test/x.spec.ts', "const dir = join(__dirname, '../../../fixtures');")).toEqual([]);
    expect(find('tools/t/src/x.ts', `path.resolve(__dirname, ${upSegments(4)}, 'samples')`)).toEqual(['/samples']);
    expect(find('docs/guide.md', 'see [the data](../../data/x.json) and [ok](../README.md)')).toEqual(['/data/x.json']);
    expect(find('.ci/run', 'cd ../.. && npm test')).toEqual(['/']);
  });

  it('leaves URLs, encoded text and paths inside the repository alone', () => {
    expect(find('libs/a/test/x.spec.ts', "inject({ url: '/v1/tasks/c/..%2F..%2Fetc' }); fetch('http://h/a/../../../b')")).toEqual([]);
    expect(find('apps/api/test/support/p.ts', `const ROOT = join(__dirname, '${up(3)}..');`)).toEqual([]);
    expect(find('README.md', '[bench](docs/benchmarks.md) ./x')).toEqual([]);
  });

  it('reports each outside path once per line, with where it stands', () => {
    const line = `const D = join(__dirname, '${up(2)}elsewhere/x');`;
    expect(findOutsideReferences(root, 'a/b.ts', `ok\n${line}`)).toEqual([
      { file: 'a/b.ts', line: 2, text: line, resolved: '/elsewhere/x' },
    ]);
  });
});
