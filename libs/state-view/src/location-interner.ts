import type { ParsedKey } from '@ecs-state/domain';

type ClusterLocation = Omit<ParsedKey, 'kind' | 'taskId' | 'containerInstanceId'>;

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
    const { partition, region, account, clusterName, clusterArn } = cluster;
    return location.kind === 'task'
      ? { kind: 'task', partition, region, account, clusterName, clusterArn, taskId: location.taskId }
      : { kind: 'instance', partition, region, account, clusterName, clusterArn, containerInstanceId: location.containerInstanceId };
  }
}

