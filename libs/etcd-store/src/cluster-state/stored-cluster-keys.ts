/** What the store holds for one cluster, by identity: enough to compare with ECS without decoding every record. */
export interface StoredClusterKeys {
  readonly taskKeys: string[];
  /**
   * Instance key -> the ARN in its stored record (undefined when the record cannot be
   * read). Instances are few, so their values are read: ECS must be asked about
   * deregistered ones by ARN, since they are no longer listed.
   */
  readonly instances: ReadonlyMap<string, string | undefined>;
  /** The cluster's service keys (what is compared with ListServices). */
  readonly serviceKeys: string[];
  /** Every listing is read at this revision. */
  readonly revision: number;
}

/** The stored ARN, tolerating any value: an unreadable record still counts as stored. */
export function storedInstanceArn(value: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(value.toString('utf8')) as { containerInstanceArn?: unknown } | null;
    return typeof parsed?.containerInstanceArn === 'string' ? parsed.containerInstanceArn : undefined;
  } catch {
    return undefined;
  }
}
