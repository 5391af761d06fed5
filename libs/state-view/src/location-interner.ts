import type { ParsedKey } from '@ecs-state/domain';

type ClusterLocation = Pick<ParsedKey, 'partition' | 'region' | 'account' | 'clusterName' | 'clusterArn'>;

/** Clusters remembered at most; past it the cache starts over (only sharing is lost). */
const MAX_CLUSTERS = 10_000;

/**
 * Every entry of a cluster holds the same partition, region, account, name
 * and cluster ARN: parsing each key anew gives each entry its own copies
 * (about 150 bytes). Sharing one set per
 * cluster keeps an entry's location at the size of its object.
 */
export class LocationInterner {
  private readonly clusters = new Map<string, ClusterLocation>();

  intern(location: ParsedKey): ParsedKey {
    let cluster = this.clusters.get(location.clusterArn);
    if (cluster === undefined) {
      if (this.clusters.size >= MAX_CLUSTERS) this.clusters.clear();
      const { partition, region, account, clusterName, clusterArn } = location;
      cluster = { partition, region, account, clusterName, clusterArn };
      this.clusters.set(clusterArn, cluster);
    }
    // The same properties in the same order, whatever the kind: only the strings are swapped for the shared ones.
    return { ...location, partition: cluster.partition, region: cluster.region, account: cluster.account, clusterName: cluster.clusterName, clusterArn: cluster.clusterArn };
  }
}

