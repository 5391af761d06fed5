import { get } from 'node:http';

/** How a reader takes the body: `bytes` at most every `intervalMs`, or as fast as it arrives (null). */
export type ReadPace = { readonly bytes: number; readonly intervalMs: number } | null;

export interface ListRead {
  readonly status: number;
  readonly contentLength: number;
  readonly bytes: number;
  /** Items counted in the body (occurrences of the item's opening). */
  readonly items: number;
  readonly revisionHeader: string;
  /** The body ends with `],"revision":"<the header's revision>"}` and has no nextToken. */
  readonly wellFormedEnd: boolean;
  readonly seconds: number;
}

const ITEM_OPENING = '{"metadata":{"entityVersion":"';

function occurrences(text: string, pattern: string): number {
  let count = 0;
  for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + pattern.length)) count++;
  return count;
}

/**
 * Reads a whole list without keeping it: counts items and checks the end as
 * the bytes pass, so that the reader's own memory stays small whatever the
 * list's size. A paced reader pauses the response once it has taken its
 * budget and resumes at the next tick, so the server sees a client that
 * reads slowly rather than one that buffers everything.
 */
export function readList(url: string, pace: ReadPace): Promise<ListRead> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = get(url, { agent: false }, (res) => {
      let bytes = 0;
      let items = 0;
      // The end of what came before: enough to find an opening split across two chunks, never a whole one.
      let carry = '';
      let tail = '';
      let budget = pace?.bytes ?? Number.POSITIVE_INFINITY;
      const ticker =
        pace === null
          ? undefined
          : setInterval(() => {
              budget = pace.bytes;
              if (res.isPaused()) res.resume();
            }, pace.intervalMs);
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // latin1 maps bytes one to one, so the ASCII markers are found wherever UTF-8 puts them.
        const decoded = chunk.toString('latin1');
        const text = carry + decoded;
        items += occurrences(text, ITEM_OPENING);
        carry = text.slice(-(ITEM_OPENING.length - 1));
        tail = (tail + decoded).slice(-64);
        budget -= chunk.length;
        if (budget <= 0) res.pause();
      });
      res.on('end', () => {
        clearInterval(ticker);
        const revision = String(res.headers['x-store-revision'] ?? '');
        resolve({
          status: res.statusCode ?? 0,
          contentLength: Number(res.headers['content-length'] ?? NaN),
          bytes,
          items,
          revisionHeader: revision,
          wellFormedEnd: tail.endsWith(`}],"revision":"${revision}"}`) || tail.endsWith(`[],"revision":"${revision}"}`),
          seconds: (performance.now() - started) / 1000,
        });
      });
      res.on('error', (error) => {
        clearInterval(ticker);
        reject(error);
      });
    });
    req.on('error', reject);
  });
}
