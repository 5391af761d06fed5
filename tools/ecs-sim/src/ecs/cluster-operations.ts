import { clusterArn, parseReference } from './arns';
import { checkDescribeList, wantsTags } from './describe-limits';
import type { EcsState } from './ecs-state';
import { CreateClusterInput, DeleteClusterInput, DescribeClustersInput, ListClustersInput, parseInput } from './inputs';
import { decodeToken, encodeToken, pageSize } from './pagination';
import { renderCluster } from './render';

type Input = Record<string, unknown>;

export function createCluster(state: EcsState, input: Input): unknown {
  const request = parseInput(CreateClusterInput, input);
  return { cluster: renderCluster(state.createCluster(request.clusterName, request.tags), true) };
}

export function listClusters(state: EcsState, input: Input): unknown {
  const request = parseInput(ListClustersInput, input);
  const limit = pageSize(request.maxResults);
  const cursor = decodeToken(request.nextToken);
  const page = state.listClusters(cursor?.after ?? 0, limit);
  return {
    clusterArns: page.items.map((cluster) => cluster.arn),
    ...(page.next === undefined ? {} : { nextToken: encodeToken({ after: page.next }) }),
  };
}

export function describeClusters(state: EcsState, input: Input): unknown {
  const request = parseInput(DescribeClustersInput, input);
  const references = request.clusters ?? ['default'];
  if (request.clusters) checkDescribeList(references, 'clusters');
  const clusters: unknown[] = [];
  const failures: unknown[] = [];
  for (const reference of references) {
    const cluster = state.findCluster(reference);
    if (cluster) clusters.push(renderCluster(cluster, wantsTags(request.include)));
    else {
      const name = parseReference(state.scope, 'cluster', reference)?.id;
      failures.push({ arn: reference.startsWith('arn:') || !name ? reference : clusterArn(state.scope, name), reason: 'MISSING' });
    }
  }
  return { clusters, failures };
}

export function deleteCluster(state: EcsState, input: Input): unknown {
  const request = parseInput(DeleteClusterInput, input);
  const cluster = state.deleteCluster(state.cluster(request.cluster));
  return { cluster: renderCluster(cluster, false, 'INACTIVE') };
}
