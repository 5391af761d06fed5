import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTasksCommand,
  type Cluster,
  type ContainerInstance,
  type DesiredStatus,
  type ECSClient,
  type Failure,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { classifyEcsFailure } from './ecs-unavailable-error';

/** ECS caps every Describe* call at 100 identifiers, and every List* page at 100. */
export const ECS_PAGE_SIZE = 100;

/** DescribeServices takes at most 10 services a call (ECS refuses more). */
export const DESCRIBE_SERVICES_BATCH = 10;

interface WithMetadata {
  $metadata?: { attempts?: number };
}

function attemptsOf(value: unknown): number {
  const attempts = (value as WithMetadata | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}

/**
 * The ECS calls a reconcile makes, counting every HTTP request (retries included)
 * for the drift report. A call that could not reach ECS fails with EcsUnavailableError,
 * so reports and logs say that the ECS API was down rather than show a socket error.
 */
export class CountedEcs {
  private count = 0;

  constructor(
    private readonly client: ECSClient,
    private readonly signal?: AbortSignal,
  ) {}

  get calls(): number {
    return this.count;
  }

  private async counted<T>(operation: string, call: (options: { abortSignal?: AbortSignal }) => Promise<T>): Promise<T> {
    this.signal?.throwIfAborted();
    try {
      const output = await call(this.signal === undefined ? {} : { abortSignal: this.signal });
      this.count += attemptsOf(output);
      return output;
    } catch (error) {
      this.count += attemptsOf(error);
      throw classifyEcsFailure(error, operation);
    }
  }

  async listClusterArns(): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.counted('ListClusters', (o) => this.client.send(new ListClustersCommand({ maxResults: ECS_PAGE_SIZE, nextToken }), o));
      arns.push(...(page.clusterArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return arns;
  }

  async describeClusters(clusters: readonly string[]): Promise<{ clusters: Cluster[]; failures: Failure[] }> {
    const found: Cluster[] = [];
    const failures: Failure[] = [];
    for (let i = 0; i < clusters.length; i += ECS_PAGE_SIZE) {
      const batch = clusters.slice(i, i + ECS_PAGE_SIZE);
      const out = await this.counted('DescribeClusters', (o) => this.client.send(new DescribeClustersCommand({ clusters: batch }), o));
      found.push(...(out.clusters ?? []));
      failures.push(...(out.failures ?? []));
    }
    return { clusters: found, failures };
  }

  async listContainerInstanceArns(cluster: string): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.counted('ListContainerInstances', (o) =>
        this.client.send(new ListContainerInstancesCommand({ cluster, maxResults: ECS_PAGE_SIZE, nextToken }), o),
      );
      arns.push(...(page.containerInstanceArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return arns;
  }

  async describeContainerInstances(cluster: string, arns: readonly string[]): Promise<ContainerInstance[]> {
    const out = await this.counted('DescribeContainerInstances', (o) =>
      this.client.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [...arns] }), o),
    );
    return out.containerInstances ?? [];
  }

  async listTaskArns(cluster: string, desiredStatus: DesiredStatus): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.counted('ListTasks', (o) =>
        this.client.send(new ListTasksCommand({ cluster, desiredStatus, maxResults: ECS_PAGE_SIZE, nextToken }), o),
      );
      arns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return arns;
  }

  async describeTasks(cluster: string, arns: readonly string[]): Promise<Task[]> {
    const out = await this.counted('DescribeTasks', (o) => this.client.send(new DescribeTasksCommand({ cluster, tasks: [...arns] }), o));
    return out.tasks ?? [];
  }

  /** Every ACTIVE and DRAINING service of the cluster (ECS lists no INACTIVE one), 100 a page rather than ECS's default 10. */
  async listServiceArns(cluster: string): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.counted('ListServices', (o) =>
        this.client.send(new ListServicesCommand({ cluster, maxResults: ECS_PAGE_SIZE, nextToken }), o),
      );
      arns.push(...(page.serviceArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return arns;
  }

  /** At most DESCRIBE_SERVICES_BATCH services; those ECS no longer knows are left out (ECS answers them as failures). */
  async describeServices(cluster: string, arns: readonly string[]): Promise<Service[]> {
    const out = await this.counted('DescribeServices', (o) => this.client.send(new DescribeServicesCommand({ cluster, services: [...arns] }), o));
    return out.services ?? [];
  }
}
