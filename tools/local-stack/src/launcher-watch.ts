import { readFileSync } from 'node:fs';

/** `pid`'s parent was `parent` when the stack started; a new parent means `parent` has ended. */
export interface ProcessLink {
  pid: number;
  parent: number;
}

interface ProcStat {
  ppid: number;
  pgrp: number;
}

/** Parent and process group of a live process, from Linux's /proc; undefined when it is gone or there is no /proc. */
function procStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') return undefined;
    return { ppid: Number(ppid), pgrp: Number(pgrp) };
  } catch {
    return undefined;
  }
}

/**
 * The processes that launched the stack, as links to watch: its parent, and the
 * wrappers above it that share its process group. `npm start` from a shell is
 * npm → `bash -c` (replaced by node) → the stack, all in the group the shell made for the command;
 * the shell itself leads another group and is not watched (closing its terminal
 * sends SIGHUP instead). Without /proc only the parent is known.
 */
export function launcherLinks(self = process.pid, parent = process.ppid): ProcessLink[] {
  const links: ProcessLink[] = [{ pid: self, parent }];
  const group = procStat(self)?.pgrp;
  if (group === undefined) return links;
  let pid = parent;
  for (;;) {
    const stat = procStat(pid);
    if (!stat || stat.pgrp !== group || stat.ppid <= 1) return links;
    const above = procStat(stat.ppid);
    if (!above || above.pgrp !== group) return links;
    links.push({ pid, parent: stat.ppid });
    pid = stat.ppid;
  }
}

function currentParent(pid: number): number | undefined {
  return pid === process.pid ? process.ppid : procStat(pid)?.ppid;
}

/**
 * Calls `onGone` (once) when a process of `links` ends, checking every `intervalMs`.
 * An ended process shows as its child having a new parent (init or a subreaper) at
 * once, even while the ended one waits to be reaped.
 */
export function watchLauncher(links: readonly ProcessLink[], onGone: (gone: ProcessLink) => void, intervalMs = 500): () => void {
  const timer = setInterval(() => {
    const broken = links.find((link) => currentParent(link.pid) !== link.parent);
    if (!broken) return;
    clearInterval(timer);
    onGone(broken);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
