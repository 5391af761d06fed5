import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

/** `URIs`/`Suites` of deb822 `.sources` stanzas and of one-line `deb` entries. */
function aptSources(text: string): { uri: string; suites: string[] }[] {
  const found: { uri: string; suites: string[] }[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const uris = /^URIs:\s*(.+)$/im.exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
    const suites = /^Suites:\s*(.+)$/im.exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
    for (const uri of uris) found.push({ uri, suites });
  }
  for (const line of text.split('\n')) {
    const match = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (match?.[1] && match[2]) found.push({ uri: match[1], suites: [match[2]] });
  }
  return found;
}

/**
 * The Debian archive this machine's apt uses for `suite` (the one reachable here), read from
 * /etc/apt/sources.list and sources.list.d; deb.debian.org when none names the suite.
 */
export function debianMirror(suite: string, aptDir = '/etc/apt'): string {
  const files = [join(aptDir, 'sources.list')];
  const listDir = join(aptDir, 'sources.list.d');
  if (existsSync(listDir)) files.push(...readdirSync(listDir).filter((name) => /\.(list|sources)$/.test(name)).map((name) => join(listDir, name)));
  for (const file of files) {
    if (!existsSync(file)) continue;
    const match = aptSources(readFileSync(file, 'utf8')).find((source) => source.suites.includes(suite) && /^https?:\/\//.test(source.uri));
    if (match) return match.uri.replace(/\/$/, '');
  }
  return DEFAULT_MIRROR;
}
