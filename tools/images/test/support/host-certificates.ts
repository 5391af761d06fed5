import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { readNpmHostConfig } from '../../src/npm-host-config';

function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

const body = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

// Debian's copy of the public (Mozilla) roots, which the host's bundle is made from.
const PUBLIC_ROOTS_DIR = '/usr/share/ca-certificates';

function publicRoots(dir = PUBLIC_ROOTS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? publicRoots(join(dir, entry.name)) : entry.name.endsWith('.crt') ? pemBlocks(readFileSync(join(dir, entry.name), 'utf8')) : [],
  );
}

/**
 * A line of each CA certificate this machine trusts beyond the public roots (an egress
 * proxy's CA, say): the builds use them, so no image layer may contain one.
 */
export function hostOnlyCertificateMarkers(): string[] {
  const known = new Set([...rootCertificates, ...publicRoots()].map(body));
  const markers = new Set<string>();
  for (const file of readNpmHostConfig().caFiles) {
    for (const pem of pemBlocks(readFileSync(file, 'utf8'))) {
      if (known.has(body(pem))) continue;
      // The third line of the PEM body: 64 characters that occur in any copy of the certificate.
      const line = pem.split('\n').map((text) => text.trim()).filter((text) => text && !text.startsWith('-----'))[2];
      if (line && line.length === 64) markers.add(line);
    }
  }
  return [...markers];
}
