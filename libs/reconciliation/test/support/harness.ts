import { randomUUID } from 'node:crypto';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeregisterContainerInstanceCommand,
  ECSClient,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type ContainerInstance,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import {
  allInstancesPrefix,
  allServicesPrefix,
  allTasksPrefix,
  canonicalJson,
  keyForRecord,
  normalizeStateRecord,
  parseEventMessage,
  parseKeyPrefix,
  parseKey,
  serviceOfChange,
  serviceSnapshot,
  type KeyPrefix,
  type ServiceRecord,
  type ServiceState,
  type StateRecord,
  type VersionedState,
} from '@ecs-state/domain';
import { FAILING_HEALTH_CHECK, startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { PACKED_WEB_TASK_DEFINITION, WEB_TASK_DEFINITION } from '@ecs-state/test-support';
import { ClusterStateStore, stateRecordCodec, VersionedRecordStore } from '@ecs-state/etcd-store';
import { Etcd3 } from 'etcd3';
import { createEcsClient, Reconciler, RequestBudget, type TargetIdentity } from '../../src';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface Harness {
  sim: Simulator;
  /** Drives the simulated ECS (setup, workload); not budgeted. */
  admin: ECSClient;
  /** The reconciler's client: budgeted, adaptive retries. */
  ecs: ECSClient;
  budget: RequestBudget;
  etcd: Etcd3;
  prefix: KeyPrefix;
  store: VersionedRecordStore<StateRecord>;
  reconciler: Reconciler;
  /** Stored records: key -> canonical JSON of the record (of a service: its comparableService). */
  stored(): Promise<Map<string, string>>;
  /**
   * What ECS really has, as the records events would produce. INACTIVE container
   * instances only when their key is in `knownInactive` (ListContainerInstances never
   * returns them, so the reconciler only refreshes those it already stores); ACTIVE and
   * DRAINING services (an INACTIVE one is gone), as comparableService.
   */
  expected(options?: { knownInactive?: ReadonlySet<string> }): Map<string, string>;
  /**
   * Reads the event queue to its end and stores each event as the ingestor would (service
   * events merged into their service); returns the task and instance records.
   */
  ingestEvents(): Promise<VersionedState[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  budgetPerSecond?: number;
  maxAttempts?: number;
  /** The simulated account and region (the simulator's defaults otherwise). */
  accountId?: string;
  region?: string;
  /** Share another harness's store (one etcd prefix holding several accounts and regions). */
  prefix?: KeyPrefix;
  /** The reconciler's target; by default the client's region, the account learned from ECS. */
  target?: TargetIdentity;
}

export function etcdEndpoints(): string[] {
  const value = process.env['TEST_ETCD_ENDPOINTS'];
  if (!value) throw new Error('TEST_ETCD_ENDPOINTS is not set (jest globalSetup)');
  return value.split(',');
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const region = options.region ?? 'us-east-1';
  const sim = await startSimulator({
    port: 0,
    region,
    ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
    // Services move only when a test ticks the scheduler: their state is what the test made it.
    ecs: { transitionDelayMs: 0, serviceTickMs: 0 },
  });
  const admin = new ECSClient({ endpoint: sim.endpoint, region, credentials: CREDENTIALS, maxAttempts: 1 });
  const budget = new RequestBudget(options.budgetPerSecond ?? 10_000);
  const ecs = createEcsClient({ region, endpoint: sim.endpoint, credentials: CREDENTIALS, maxAttempts: options.maxAttempts ?? 3, budget });
  const etcd = new Etcd3({ hosts: etcdEndpoints() });
  const parsedPrefix = parseKeyPrefix(options.prefix ?? `/t-${randomUUID().slice(0, 8)}`);
  if (!parsedPrefix.ok) throw new Error(parsedPrefix.message);
  const prefix = parsedPrefix.value;
  const store = new VersionedRecordStore({ client: etcd, codec: stateRecordCodec(prefix) });
  const clusterStore = new ClusterStateStore({ client: etcd, prefix });
  const reconciler = new Reconciler({
    ecs,
    store: clusterStore,
    ...(options.target === undefined ? {} : { target: options.target }),
  });

  async function stored(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const root of [allTasksPrefix(prefix), allInstancesPrefix(prefix), allServicesPrefix(prefix)]) {
      const values = await etcd.getAll().prefix(root).strings();
      for (const [key, value] of Object.entries(values)) {
        out.set(key, parseKey(prefix, key)?.kind === 'service' ? comparableService(JSON.parse(value) as ServiceRecord) : value);
      }
    }
    return out;
  }

  function expected(options: { knownInactive?: ReadonlySet<string> } = {}): Map<string, string> {
    const truth = sim.groundTruth() as { tasks: Task[]; containerInstances: (ContainerInstance & { clusterArn: string })[] };
    const out = new Map<string, string>();
    const put = (kind: 'task' | 'instance', input: { tags?: unknown }) => {
      // The ground truth carries tags; events and Describe* without include=TAGS do not.
      const { tags: _tags, ...rest } = input;
      const state = normalizeStateRecord(kind, rest);
      if (!state.ok) throw new Error(state.message);
      const key = keyForRecord(prefix, state.value);
      if (!key.ok) throw new Error(key.message);
      // ECS cannot list INACTIVE instances: only those already stored can be refreshed.
      if (state.value.kind === 'instance' && state.value.record.status === 'INACTIVE' && !(options.knownInactive?.has(key.value) ?? false)) return;
      out.set(key.value, canonicalJson(state.value.record));
    };
    truth.tasks.forEach((t) => put('task', t));
    truth.containerInstances.forEach((i) => put('instance', i));
    for (const { tags: _tags, ...service } of (sim.groundTruth() as { services: Service[] }).services) {
      if (service.status === 'INACTIVE') continue;
      const snapshot = serviceSnapshot(service, new Date().toISOString());
      if (!snapshot.ok) throw new Error(snapshot.message);
      const key = keyForRecord(prefix, { kind: 'service', record: snapshot.value });
      if (!key.ok) throw new Error(key.message);
      out.set(key.value, comparableService(snapshot.value));
    }
    return out;
  }

  async function ingestEvents(): Promise<VersionedState[]> {
    const url = sim.eventQueueUrl;
    if (url === undefined) return [];
    const all: VersionedState[] = [];
    for (;;) {
      const messages = await sim.sqs.receiveMessages(url, { maxMessages: 10, visibilityTimeout: 30, waitTimeSeconds: 0 });
      if (messages.length === 0) return all;
      const records: VersionedState[] = [];
      const services: ServiceState[] = [];
      for (const message of messages) {
        const parsed = parseEventMessage(message.body);
        if (parsed.ok && parsed.kind === 'service') services.push({ kind: 'service', record: serviceOfChange(parsed.change) });
        else if (parsed.ok) records.push({ kind: parsed.kind, record: parsed.record } as VersionedState);
        sim.sqs.deleteMessage(url, message.receiptHandle);
      }
      await store.upsertIfNewer(records);
      await clusterStore.mergeServices(services);
      all.push(...records);
    }
  }

  return {
    sim,
    admin,
    ecs,
    budget,
    etcd,
    prefix,
    store,
    reconciler,
    stored,
    expected,
    ingestEvents,
    async close() {
      admin.destroy();
      ecs.destroy();
      const keys = [allTasksPrefix(prefix), allInstancesPrefix(prefix), allServicesPrefix(prefix)];
      await Promise.all(keys.map((k) => etcd.delete().prefix(k)));
      etcd.close();
      await sim.close();
    },
  };
}

/**
 * A service as ECS describes it: what a reconcile makes of the stored record. The
 * events EventBridge delivered and the snapshot's time are the store's own, not ECS's.
 */
export function comparableService(record: ServiceRecord): string {
  const { events: _events, describedAt: _describedAt, ...described } = record;
  return canonicalJson(described);
}

/** A task definition whose tasks fail their health checks once RUNNING (the simulator's convention). */
export const FAILING_FAMILY = 'web-unhealthy';

/** Builds clusters in the simulator through the SDK, as an operator would. */
export class EcsFixture {
  private taskDefinitionsReady = false;

  constructor(private readonly ecs: ECSClient) {}

  async cluster(name: string, arnFormat: 'long' | 'short' = 'long'): Promise<string> {
    const out = await this.ecs.send(new CreateClusterCommand({ clusterName: name, tags: [{ key: 'ecs-sim:arn-format', value: arnFormat }] }));
    return out.cluster?.clusterArn as string;
  }

  async deleteCluster(cluster: string): Promise<void> {
    await this.ecs.send(new DeleteClusterCommand({ cluster }));
  }

  async instance(cluster: string): Promise<string> {
    const out = await this.ecs.send(
      new RegisterContainerInstanceCommand({
        cluster,
        totalResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 65536 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 131072 },
        ],
      }),
    );
    return out.containerInstance?.containerInstanceArn as string;
  }

  async deregister(cluster: string, containerInstance: string): Promise<void> {
    await this.ecs.send(new DeregisterContainerInstanceCommand({ cluster, containerInstance, force: true }));
  }

  private async taskDefinitions(): Promise<void> {
    if (this.taskDefinitionsReady) return;
    await this.ecs.send(new RegisterTaskDefinitionCommand({ ...PACKED_WEB_TASK_DEFINITION }));
    await this.ecs.send(new RegisterTaskDefinitionCommand({ ...WEB_TASK_DEFINITION, family: 'fargate-web' }));
    await this.ecs.send(
      new RegisterTaskDefinitionCommand({
        ...PACKED_WEB_TASK_DEFINITION,
        family: FAILING_FAMILY,
        containerDefinitions: (PACKED_WEB_TASK_DEFINITION.containerDefinitions ?? []).map((c) => ({ ...c, healthCheck: FAILING_HEALTH_CHECK })),
      }),
    );
    this.taskDefinitionsReady = true;
  }

  /** An EC2 service of `web` tasks with the circuit breaker and rollback on. */
  async service(cluster: string, serviceName: string, desiredCount: number): Promise<string> {
    await this.taskDefinitions();
    const out = await this.ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName,
        taskDefinition: 'web',
        desiredCount,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
      }),
    );
    return out.service?.serviceArn as string;
  }

  async updateService(cluster: string, service: string, taskDefinition: string): Promise<void> {
    await this.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition }));
  }

  async deleteService(cluster: string, service: string): Promise<void> {
    await this.ecs.send(new DeleteServiceCommand({ cluster, service, force: true }));
  }

  async run(cluster: string, count: number, launchType: 'EC2' | 'FARGATE' = 'EC2'): Promise<string[]> {
    await this.taskDefinitions();
    const arns: string[] = [];
    let left = count;
    while (left > 0) {
      const n = Math.min(10, left);
      const out = await this.ecs.send(
        new RunTaskCommand({
          cluster,
          count: n,
          launchType,
          taskDefinition: launchType === 'FARGATE' ? 'fargate-web' : 'web',
          ...(launchType === 'FARGATE'
            ? { networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'] } } }
            : {}),
        }),
      );
      if ((out.failures ?? []).length > 0) throw new Error(`RunTask failed: ${JSON.stringify(out.failures)}`);
      arns.push(...(out.tasks ?? []).map((t) => t.taskArn as string));
      left -= n;
    }
    return arns;
  }

  async stop(cluster: string, task: string): Promise<void> {
    await this.ecs.send(new StopTaskCommand({ cluster, task }));
  }
}
