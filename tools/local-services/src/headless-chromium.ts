import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, ensureBinaries } from './ensure-binaries';
import type { Browser } from 'puppeteer-core';

export interface HeadlessBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Debian's Chromium (installed with apt-get when missing, as etcd and Redis are),
 * headless, with a fresh profile (nothing cached from an earlier run) and none of
 * its background connections: the machine reaches no network but loopback.
 * Used by the browser tests and the dashboard benchmark.
 */
export async function launchChromium(): Promise<HeadlessBrowser> {
  const executablePath = ensureBinaries([CHROMIUM])[CHROMIUM.command]!;
  // Loaded here, not at the top: everything that starts etcd or Redis imports this package.
  const { default: puppeteer } = await import('puppeteer-core');
  const profile = mkdtempSync(join(tmpdir(), 'headless-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
