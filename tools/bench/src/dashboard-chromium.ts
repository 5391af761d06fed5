import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, ensureBinaries } from '@ecs-state/local-services';
import puppeteer, { type Browser } from 'puppeteer-core';

export interface BenchBrowser {
  readonly browser: Browser;
  readonly version: string;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with a fresh profile (so nothing is cached from an
 * earlier run) and none of its background connections, as the dashboard's e2e test runs it.
 */
export async function launchBenchChromium(): Promise<BenchBrowser> {
  const executablePath = ensureBinaries([CHROMIUM])[CHROMIUM.command]!;
  const profile = mkdtempSync(join(tmpdir(), 'dashboard-bench-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    browser,
    version: await browser.version(),
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
