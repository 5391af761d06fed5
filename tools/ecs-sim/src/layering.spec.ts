import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * The simulator's folders form layers, and a file imports only its own folder or a
 * lower layer: aws/ (what every simulated service shares) knows none of the others;
 * ecs/, sqs/, sts/, kinesis/ and faults/ know aws/ and not each other, so the simulated ECS
 * publishes into SQS only through aws/'s EventPublisher that server/ connects; server/
 * wires them all; the entry files (index.ts, main.ts) sit on top.
 */
const LAYER: Readonly<Record<string, number>> = {
  aws: 0,
  ecs: 1,
  sqs: 1,
  sts: 1,
  kinesis: 1,
  faults: 1,
  server: 2,
  '.': 3,
};

const SRC = __dirname;

interface Import {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Folder of a path below src/, `.` for the entry files. */
function folderOf(path: string): string {
  const [first, ...rest] = relative(SRC, path).split(sep);
  return rest.length === 0 ? '.' : (first as string);
}

/** Folder that a relative import resolves into: a folder's own index, or a file's folder. */
function targetFolder(file: string, specifier: string): string {
  const target = join(dirname(file), specifier);
  const path = relative(SRC, target);
  if (path.startsWith('..')) return path;
  const parts = path === '' ? [] : path.split(sep);
  const isFolder = existsSync(target) && statSync(target).isDirectory();
  if (isFolder) return parts[0] ?? '.';
  return parts.length > 1 ? (parts[0] as string) : '.';
}

/** Every relative import, re-export and dynamic import of the simulator's sources, by folder. */
function folderImports(): Import[] {
  return sourceFiles(SRC).flatMap((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    return importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({
        from: posix.join(folderOf(file), posix.basename(file)),
        to: targetFolder(file, specifier),
      }));
  });
}

function allowed(from: string, to: string): boolean {
  const source = LAYER[from];
  const target = LAYER[to];
  if (source === undefined || target === undefined) return false;
  return from === to || target < source;
}

describe('folder layering of the simulator', () => {
  const imports = folderImports();

  it('knows the layer of every folder under src/', () => {
    const folders = new Set(sourceFiles(SRC).map(folderOf));
    expect([...folders].filter((folder) => LAYER[folder] === undefined)).toEqual([]);
    expect([...folders]).toEqual(expect.arrayContaining(['aws', 'ecs', 'sqs', 'server', '.']));
  });

  it('imports only within a folder or downwards', () => {
    const crossing = imports.filter(({ from, to }) => posix.dirname(from) !== to);
    // Guards the check itself: the layers do use each other.
    expect(crossing).toEqual(expect.arrayContaining([{ from: 'ecs/ecs-service.ts', to: 'aws' }]));
    const wrong = crossing
      .filter(({ from, to }) => !allowed(posix.dirname(from), to))
      .map(({ from, to }) => `${from} -> ${to}/`);
    expect(wrong).toEqual([]);
  });

  it('flags an import from aws/ into a sibling, and between ecs/ and sqs/', () => {
    expect(allowed('aws', 'ecs')).toBe(false);
    expect(allowed('aws', 'server')).toBe(false);
    expect(allowed('ecs', 'sqs')).toBe(false);
    expect(allowed('sqs', 'ecs')).toBe(false);
    expect(allowed('ecs', 'server')).toBe(false);
    expect(allowed('faults', 'sqs')).toBe(false);
    expect(allowed('server', 'ecs')).toBe(true);
    expect(allowed('ecs', 'aws')).toBe(true);
  });
});
