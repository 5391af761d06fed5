import path from 'node:path';

/** A path written in a file that, resolved from that file's folder, leaves the repository. */
export interface OutsideReference {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly resolved: string;
}

// A relative path climbing at least one level, as written in code, configuration or Markdown:
// `'../x'`, `"../../y"`, `](../z)`, or a bare `../` run in a shell script.
const RELATIVE_PATH = /(?<![\w.%/-])((?:\.\.\/)+(?:\.\.(?![\w.])|[\w@.+-][\w@.+/-]*)?)/g;
// `join(__dirname, '..', '..', 'x')` / `resolve(__dirname, ...)`: segments as separate string arguments.
const DIRNAME_SEGMENTS = /__dirname\s*((?:,\s*(['"`])[^'"`]*\2\s*)+)/g;
const SEGMENT = /(['"`])([^'"`]*)\1/g;

/**
 * Every relative path in `content` that climbs out of `root` when resolved from
 * `file`'s folder. URLs and percent-encoded text are not paths and are skipped
 * by the patterns above (a `../` preceded by a word character, `/`, `%` or `.`).
 */
export function findOutsideReferences(root: string, file: string, content: string): OutsideReference[] {
  const found: OutsideReference[] = [];
  const folder = path.dirname(path.join(root, file));
  const lines = content.split('\n');
  lines.forEach((text, index) => {
    const candidates: string[] = [];
    for (const match of text.matchAll(RELATIVE_PATH)) candidates.push(match[1] as string);
    for (const match of text.matchAll(DIRNAME_SEGMENTS)) {
      const segments = [...(match[1] as string).matchAll(SEGMENT)].map((segment) => segment[2] as string);
      candidates.push(path.join(...segments));
    }
    const outside = new Set(candidates.map((candidate) => path.resolve(folder, candidate)).filter((resolved) => !isInside(root, resolved)));
    for (const resolved of outside) found.push({ file, line: index + 1, text: text.trim(), resolved });
  });
  return found;
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
