import type { CDPSession, Page } from 'puppeteer-core';

/**
 * Bytes the page received over the network, as Chromium counts them
 * (`encodedDataLength`: headers and compressed body). A finished response counts
 * its final length; a response still open (an SSE stream) counts what has
 * arrived so far, from `Network.dataReceived`.
 */
export class PageBytes {
  private readonly finished = new Map<string, number>();
  private readonly open = new Map<string, number>();
  private readonly urls = new Map<string, string>();

  private constructor(private readonly session: CDPSession) {
    session.on('Network.requestWillBeSent', (e) => this.urls.set(e.requestId, e.request.url));
    session.on('Network.dataReceived', (e) => this.open.set(e.requestId, (this.open.get(e.requestId) ?? 0) + e.encodedDataLength));
    session.on('Network.loadingFinished', (e) => {
      this.open.delete(e.requestId);
      this.finished.set(e.requestId, e.encodedDataLength);
    });
  }

  static async watch(page: Page): Promise<PageBytes> {
    const session = await page.createCDPSession();
    await session.send('Network.enable');
    return new PageBytes(session);
  }

  /** Bytes so far, in total and by the path of the request (query left out). */
  total(): { bytes: number; byPath: Record<string, number>; requests: number } {
    const byPath: Record<string, number> = {};
    let bytes = 0;
    for (const [id, length] of [...this.finished, ...this.open]) {
      bytes += length;
      const url = this.urls.get(id);
      const path = url === undefined ? '?' : new URL(url).pathname;
      byPath[path] = (byPath[path] ?? 0) + length;
    }
    return { bytes, byPath, requests: this.urls.size };
  }

  async stop(): Promise<void> {
    await this.session.detach().catch(() => undefined);
  }
}
