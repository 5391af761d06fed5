import type { Partition } from './arn-components';

// Longest prefix first: `us-isob-` must not be read as `us-iso-`.
const PARTITION_BY_REGION_PREFIX: readonly (readonly [string, Partition])[] = [
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-iso-', 'aws-iso'],
  ['us-gov-', 'aws-us-gov'],
  ['cn-', 'aws-cn'],
];

/**
 * The partition a region belongs to, from AWS's region naming: `cn-*` is aws-cn,
 * `us-gov-*` aws-us-gov, the ISO prefixes their ISO partitions, anything else aws.
 * Lets a region alone place the ARNs an ECS endpoint of that region returns.
 */
export function partitionOfRegion(region: string): Partition {
  for (const [prefix, partition] of PARTITION_BY_REGION_PREFIX) {
    if (region.startsWith(prefix)) return partition;
  }
  return 'aws';
}
