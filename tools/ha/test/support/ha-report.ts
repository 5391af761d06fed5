import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUT_DIR = join(__dirname, '../../../../tmp/test-output/ha');

/**
 * Prints what a scenario measured (the unavailability each side saw) in the test
 * output, and keeps it in tmp/test-output/ha/<scenario>.json for the record in
 * docs/benchmarks.md.
 */
export function reportWindow(scenario: string, measured: Record<string, number | string>): void {
  const line = Object.entries(measured)
    .map(([name, value]) => `${name}=${typeof value === 'number' ? Math.round(value) : value}`)
    .join(' ');
  process.stdout.write(`[ha] ${scenario}: ${line}\n`);
  mkdirSync(OUTPUT_DIR, { recursive: true });
  writeFileSync(join(OUTPUT_DIR, `${scenario}.json`), `${JSON.stringify({ scenario, at: new Date().toISOString(), ...measured }, null, 2)}\n`);
}
