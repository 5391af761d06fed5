import type { LoadBalancer, PlacementConstraint, Tag } from '@aws-sdk/client-ecs';
import { AwsError } from '../aws/aws-error';
import { parseReference, serviceArn } from './arns';
import type { ClusterRecord } from './model';
import { type IndexPage, OrderedIndex } from './ordered-index';
import { RetentionQueue } from './retention-queue';
import type { DeploymentSettings, LaunchSettings, ServiceRecord } from './service-model';
import { advanceService, beginDeployment, newDeployment, type RolloutContext } from './service-rollout';

const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export interface CreateServiceParams {
  readonly name: string;
  readonly desiredCount: number;
  readonly launch: LaunchSettings;
  readonly deploymentConfiguration: DeploymentSettings;
  readonly loadBalancers: LoadBalancer[];
  readonly placementConstraints: PlacementConstraint[];
  readonly healthCheckGracePeriodSeconds?: number;
  readonly tags: Tag[];
}

export interface UpdateServiceParams {
  readonly desiredCount?: number;
  /** A launch that differs from the PRIMARY deployment's starts a new deployment. */
  readonly launch?: LaunchSettings;
  readonly forceNewDeployment: boolean;
  readonly deploymentConfiguration?: DeploymentSettings;
  readonly loadBalancers?: LoadBalancer[];
  readonly placementConstraints?: PlacementConstraint[];
  readonly healthCheckGracePeriodSeconds?: number;
}

function sameLaunch(a: LaunchSettings, b: LaunchSettings): boolean {
  return (
    a.taskDefinition === b.taskDefinition &&
    a.launchType === b.launchType &&
    a.platformVersion === b.platformVersion &&
    JSON.stringify([a.capacityProviderStrategy, a.networkConfiguration, a.placementStrategy]) ===
      JSON.stringify([b.capacityProviderStrategy, b.networkConfiguration, b.placementStrategy])
  );
}

/**
 * The services of every cluster and their scheduler. The scheduler runs one pass over
 * every service that is not INACTIVE each `tickMs` (never with 0) and whenever `tick()`
 * is called; CreateService and UpdateService only record the change, as ECS answers
 * before its scheduler acts.
 */
export class ServiceRegistry {
  private readonly byCluster = new Map<ClusterRecord, Map<string, ServiceRecord>>();
  private readonly listed = new Map<ClusterRecord, OrderedIndex<ServiceRecord>>();
  private readonly live = new Set<ServiceRecord>();
  private readonly inactive = new RetentionQueue<ServiceRecord>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly context: RolloutContext,
    private readonly tickMs: number,
  ) {}

  create(cluster: ClusterRecord, params: CreateServiceParams): ServiceRecord {
    if (!SERVICE_NAME.test(params.name)) {
      throw new AwsError('InvalidParameterException', 'Service name must be 1-255 characters: letters, numbers, hyphens and underscores.');
    }
    const services = this.servicesOf(cluster);
    const existing = services.get(params.name);
    if (existing && existing.status !== 'INACTIVE') {
      throw new AwsError('InvalidParameterException', 'Creation of service was not idempotent.');
    }
    const now = this.context.now();
    const deployment = newDeployment(this.context.ids, params.launch, params.desiredCount, now);
    const service: ServiceRecord = {
      name: params.name,
      arn: serviceArn(this.context.scope, cluster.arnFormat, cluster.name, params.name),
      cluster,
      status: 'ACTIVE',
      desiredCount: params.desiredCount,
      launch: params.launch,
      deploymentConfiguration: params.deploymentConfiguration,
      loadBalancers: params.loadBalancers,
      placementConstraints: params.placementConstraints,
      ...(params.healthCheckGracePeriodSeconds === undefined ? {} : { healthCheckGracePeriodSeconds: params.healthCheckGracePeriodSeconds }),
      tags: params.tags,
      createdAt: now,
      deployments: [],
      messages: [],
      steady: false,
      placementFailing: false,
    };
    services.set(service.name, service);
    service.listSlot = this.listIndex(cluster).add(service);
    this.live.add(service);
    cluster.activeServices++;
    beginDeployment(this.context, service, deployment);
    this.arm();
    return service;
  }

  /** By name or ARN, INACTIVE ones included (DescribeServices still answers them). */
  find(cluster: ClusterRecord, reference: string): ServiceRecord | undefined {
    const parsed = parseReference(this.context.scope, 'service', reference);
    if (!parsed || (parsed.clusterName !== undefined && parsed.clusterName !== cluster.name)) return undefined;
    return this.byCluster.get(cluster)?.get(parsed.id);
  }

  /** A service UpdateService may change: it exists and is ACTIVE. */
  active(cluster: ClusterRecord, reference: string): ServiceRecord {
    const service = this.find(cluster, reference);
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    return service;
  }

  update(service: ServiceRecord, params: UpdateServiceParams): ServiceRecord {
    if (params.deploymentConfiguration !== undefined) service.deploymentConfiguration = params.deploymentConfiguration;
    if (params.loadBalancers !== undefined) service.loadBalancers = params.loadBalancers;
    if (params.placementConstraints !== undefined) service.placementConstraints = params.placementConstraints;
    if (params.healthCheckGracePeriodSeconds !== undefined) service.healthCheckGracePeriodSeconds = params.healthCheckGracePeriodSeconds;
    if (params.desiredCount !== undefined && params.desiredCount !== service.desiredCount) {
      service.desiredCount = params.desiredCount;
      service.steady = false;
    }
    const launch = params.launch ?? service.launch;
    if (params.forceNewDeployment || !sameLaunch(launch, service.launch)) {
      beginDeployment(this.context, service, newDeployment(this.context.ids, launch, service.desiredCount, this.context.now()));
    }
    this.arm();
    return service;
  }

  /** DeleteService: DRAINING until the scheduler has stopped every task, then INACTIVE. */
  delete(service: ServiceRecord, force: boolean): ServiceRecord {
    if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    if (service.desiredCount > 0 && !force) {
      throw new AwsError('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.');
    }
    service.status = 'DRAINING';
    service.desiredCount = 0;
    service.steady = false;
    service.cluster.activeServices--;
    this.arm();
    return service;
  }

  /** ACTIVE and DRAINING services of a cluster, in creation order, that `accept` lets through. */
  list(cluster: ClusterRecord, after: number, limit: number, accept: (service: ServiceRecord) => boolean): IndexPage<ServiceRecord> {
    const index = this.listed.get(cluster);
    return index ? index.page(after, limit, accept) : { items: [] };
  }

  /** Services that are ACTIVE or DRAINING: DeleteCluster waits for them. */
  remaining(cluster: ClusterRecord): number {
    return this.listed.get(cluster)?.size ?? 0;
  }

  /** One scheduler pass over every service that is not INACTIVE. */
  tick(): void {
    for (const service of [...this.live]) {
      if (!advanceService(this.context, service)) this.retire(service);
    }
    if (this.live.size === 0) this.disarm();
  }

  all(): ServiceRecord[] {
    return [...this.byCluster.values()].flatMap((services) => [...services.values()]);
  }

  /** Forgets INACTIVE services older than `horizon` (epoch ms). */
  purgeExpired(horizon: number): void {
    for (const service of this.inactive.drain((s) => (s.inactiveAt ?? 0) <= horizon)) {
      const services = this.byCluster.get(service.cluster);
      if (services?.get(service.name) === service) services.delete(service.name);
    }
  }

  /** A deleted cluster's INACTIVE services go with it. */
  forgetCluster(cluster: ClusterRecord): void {
    this.byCluster.delete(cluster);
    this.listed.delete(cluster);
  }

  close(): void {
    this.closed = true;
    this.disarm();
  }

  private retire(service: ServiceRecord): void {
    service.status = 'INACTIVE';
    service.inactiveAt = this.context.now();
    if (service.listSlot) service.listSlot.owner.remove(service.listSlot);
    service.listSlot = undefined;
    this.live.delete(service);
    this.inactive.push(service);
  }

  private arm(): void {
    if (this.timer !== undefined || this.closed || this.tickMs <= 0) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private servicesOf(cluster: ClusterRecord): Map<string, ServiceRecord> {
    let services = this.byCluster.get(cluster);
    if (!services) {
      services = new Map();
      this.byCluster.set(cluster, services);
    }
    return services;
  }

  private listIndex(cluster: ClusterRecord): OrderedIndex<ServiceRecord> {
    let index = this.listed.get(cluster);
    if (!index) {
      index = new OrderedIndex(cluster.arn);
      this.listed.set(cluster, index);
    }
    return index;
  }
}
