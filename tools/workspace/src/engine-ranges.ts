import semver from 'semver';

interface LockFile {
  readonly packages: Record<string, { readonly version?: string; readonly engines?: { readonly node?: string } | readonly string[] }>;
}

/** A locked package whose declared Node.js range does not admit every version the project declares. */
export interface EngineConflict {
  readonly name: string;
  readonly version: string;
  readonly requires: string;
}

/**
 * The locked packages that `npm ci` would warn about (EBADENGINE) on some
 * Node.js version the project's own `engines.node` admits.
 */
export function engineConflicts(projectRange: string, lock: LockFile): EngineConflict[] {
  const conflicts: EngineConflict[] = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (location === '' || entry.engines === undefined || Array.isArray(entry.engines)) continue;
    const requires = (entry.engines as { node?: string }).node;
    if (requires === undefined) continue;
    if (!semver.subset(projectRange, requires)) {
      conflicts.push({ name: location.replace(/^.*node_modules\//, ''), version: entry.version ?? '?', requires });
    }
  }
  return conflicts;
}
