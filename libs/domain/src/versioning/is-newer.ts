/**
 * The write rule: a record replaces the stored one only when its ECS version
 * is strictly greater. Equal versions are the same state delivered twice
 * (events are at-least-once and may arrive out of order), so they never
 * overwrite. Nothing stored means anything is newer.
 */
export function isNewer(candidateVersion: number, storedVersion: number | undefined): boolean {
  return storedVersion === undefined || candidateVersion > storedVersion;
}
