import { createHash } from 'node:crypto';

/** The dashboard's built script (libs/dashboard, bundled for browsers). */
export interface DashboardAssets {
  readonly script: Buffer;
}

/** The page shell: the script builds everything else. */
export function dashboardPage(scriptVersion: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>ECS cluster state</title>',
    '</head>',
    '<body>',
    '<noscript>The dashboard needs JavaScript.</noscript>',
    // Relative: under a proxy's path prefix the script is still found beside the page.
    `<script src="dashboard.js?v=${scriptVersion}" defer></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function contentVersion(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}
