import type { Attribute, Cluster, ContainerInstance, Failure, Resource, Service, Tag, Task, VersionInfo } from '@aws-sdk/client-ecs';
import { AwsError } from '../aws/aws-error';
import type { EventPublisher } from '../aws/event-publisher';
import { mulberry32, type Random } from '../aws/prng';
import { type ArnFormat, type ArnScope, clusterArn, containerInstanceArn, parseReference } from './arns';
import { EventEmitter } from './events';
import { deepFreeze, frozenCopy } from './frozen';
import { availabilityZone as pickAvailabilityZone, IdSource } from './ids';
import { DEFAULT_CAPABILITIES, DEFAULT_VERSION_INFO, mergeResources } from './instance-defaults';
import type { ClusterRecord, InstanceRecord, InstanceStatus, Reservation, TaskRecord } from './model';
import { ARN_FORMAT_TAG, type ResolvedOptions } from './options';
import { type IndexPage, OrderedIndex } from './ordered-index';
import { choose, type PlacementStrategyName, refusal } from './placement';
import { dateStamp, renderCluster, renderContainerInstance, renderTask } from './render';
import { RetentionQueue } from './retention-queue';
import { ServiceRegistry } from './service-registry';
import { renderService } from './service-render';
import { TaskDefinitionRegistry } from './task-definitions';
import { frozenLaunch, type LaunchParams, TaskFactory } from './task-factory';
import { TaskIndexes, type TaskQuery } from './task-index';

export type { LaunchParams } from './task-factory';

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const DEFAULT_CLUSTER = 'default';
const DEFAULT_STOP_REASON = 'Task stopped by user';

export interface RegisterInstanceParams {
  readonly totalResources?: Resource[];
  readonly attributes?: Attribute[];
  readonly versionInfo?: VersionInfo;
  readonly tags?: Tag[];
  readonly ec2InstanceId?: string;
  readonly availabilityZone?: string;
  readonly instanceType?: string;
}

export interface StopParams {
  readonly reason?: string;
  /** Default `UserInitiated`. */
  readonly stopCode?: string;
  /** Exit code of containers that had started; default 0. */
  readonly exitCode?: number;
  /** Reason recorded on each container, e.g. why it failed to start. */
  readonly containerReason?: string;
}

export interface LaunchResult {
  readonly tasks: TaskRecord[];
  readonly failures: Failure[];
}

export interface EcsGroundTruth {
  readonly clusters: Cluster[];
  /** As DescribeContainerInstances returns them, plus the cluster they belong to. */
  readonly containerInstances: (ContainerInstance & { clusterArn: string })[];
  readonly tasks: Task[];
  /** As DescribeServices returns them with `include: ['TAGS']`, INACTIVE ones within retention included. */
  readonly services: Service[];
}

/**
 * The simulated ECS control plane: clusters, container instances, task definitions
 * and tasks, with their lifecycles, versions and state-change events. All methods
 * are synchronous; the operation layer validates requests and renders responses.
 */
export class EcsState {
  readonly scope: ArnScope;
  readonly taskDefinitions: TaskDefinitionRegistry;
  /** The services and their scheduler, which launches and stops tasks through this control plane. */
  readonly services: ServiceRegistry;
  private readonly ids: IdSource;
  private readonly random: Random;
  private readonly events: EventEmitter;
  private readonly now: () => number;
  private readonly factory: TaskFactory;

  private readonly clusters = new Map<string, ClusterRecord>();
  private readonly clusterOrder = new OrderedIndex<ClusterRecord>();
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly instanceIndexes = new Map<string, OrderedIndex<InstanceRecord>>();
  private readonly activeTasksByInstance = new Map<string, Set<TaskRecord>>();
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly taskIndexes = new TaskIndexes();
  private readonly stoppedTasks = new RetentionQueue<TaskRecord>();
  private readonly inactiveInstances = new RetentionQueue<InstanceRecord>();
  private readonly timed = new Set<TaskRecord>();
  private closed = false;

  constructor(private readonly options: ResolvedOptions) {
    this.scope = { partition: options.partition, region: options.region, account: options.account };
    this.now = options.clock;
    this.random = mulberry32(options.seed);
    this.ids = new IdSource(this.random);
    this.events = new EventEmitter(this.scope, this.ids, options.publisher);
    this.taskDefinitions = new TaskDefinitionRegistry(this.scope, this.now);
    this.factory = new TaskFactory(this.scope, this.ids, this.random);
    this.services = new ServiceRegistry(
      { scope: this.scope, ids: this.ids, events: this.events, now: this.now, launcher: this },
      options.serviceTickMs,
    );
  }

  setPublisher(publisher: EventPublisher | undefined): void {
    this.events.sink = publisher;
  }

  /** Runs `change` with event publication switched off, e.g. to build a world before anyone listens. */
  silently<T>(change: () => T): T {
    const sink = this.events.sink;
    this.events.sink = undefined;
    try {
      return change();
    } finally {
      this.events.sink = sink;
    }
  }

  /** Stops every pending transition timer; the state stays readable. */
  close(): void {
    this.closed = true;
    this.services.close();
    for (const task of this.timed) {
      clearTimeout(task.timer);
      task.timer = undefined;
    }
    this.timed.clear();
  }

  // ---- clusters -------------------------------------------------------------

  createCluster(name: string | undefined, tags: Tag[] = []): ClusterRecord {
    const clusterName = name ?? DEFAULT_CLUSTER;
    if (!CLUSTER_NAME.test(clusterName)) {
      throw new AwsError(
        'InvalidParameterException',
        'Cluster name must be 1-255 characters: letters, numbers, hyphens and underscores.',
      );
    }
    const existing = this.clusters.get(clusterName);
    if (existing) return existing;
    const formatTag = tags.find((tag) => tag.key === ARN_FORMAT_TAG)?.value;
    if (formatTag !== undefined && formatTag !== 'long' && formatTag !== 'short') {
      throw new AwsError('InvalidParameterException', `Tag ${ARN_FORMAT_TAG} must be 'long' or 'short'.`);
    }
    const arnFormat: ArnFormat = formatTag ?? this.options.defaultArnFormat;
    const cluster: ClusterRecord = {
      name: clusterName,
      arn: clusterArn(this.scope, clusterName),
      arnFormat,
      tags: frozenCopy(tags),
      registeredInstances: 0,
      pendingTasks: 0,
      runningTasks: 0,
      activeServices: 0,
    };
    this.clusters.set(clusterName, cluster);
    cluster.orderSlot = this.clusterOrder.add(cluster);
    return cluster;
  }

  /** By name or ARN; the default cluster when none is named. */
  findCluster(reference: string | undefined): ClusterRecord | undefined {
    const parsed = parseReference(this.scope, 'cluster', reference ?? DEFAULT_CLUSTER);
    if (!parsed || parsed.clusterName !== undefined) return undefined;
    return this.clusters.get(parsed.id);
  }

  cluster(reference: string | undefined): ClusterRecord {
    const cluster = this.findCluster(reference);
    if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  listClusters(after: number, limit: number): IndexPage<ClusterRecord> {
    return this.clusterOrder.page(after, limit);
  }

  deleteCluster(cluster: ClusterRecord): ClusterRecord {
    if (this.services.remaining(cluster) > 0) {
      throw new AwsError('ClusterContainsServicesException', 'The Cluster cannot be deleted while Services are active.');
    }
    if (cluster.registeredInstances > 0) {
      throw new AwsError(
        'ClusterContainsContainerInstancesException',
        'The Cluster cannot be deleted while Container Instances are active or draining.',
      );
    }
    if (cluster.pendingTasks + cluster.runningTasks > 0) {
      throw new AwsError('ClusterContainsTasksException', 'The Cluster cannot be deleted while Tasks are active.');
    }
    for (const task of [...this.taskIndexes.inCluster(cluster.arn, 'STOPPED')]) this.forgetTask(task);
    const inactive = this.instanceIndexes.get(`${cluster.arn}|INACTIVE`);
    for (const instance of inactive ? [...inactive.values()] : []) this.forgetInstance(instance);
    this.services.forgetCluster(cluster);
    this.clusters.delete(cluster.name);
    if (cluster.orderSlot) this.clusterOrder.remove(cluster.orderSlot);
    return cluster;
  }

  // ---- container instances -------------------------------------------------

  registerContainerInstance(cluster: ClusterRecord, params: RegisterInstanceParams): InstanceRecord {
    const registered = mergeResources(params.totalResources ?? []);
    const cpu = registered.find((r) => r.name === 'CPU')?.integerValue ?? 0;
    const memory = registered.find((r) => r.name === 'MEMORY')?.integerValue ?? 0;
    const now = this.now();
    const id = this.ids.uuid();
    const zone = params.availabilityZone ?? pickAvailabilityZone(this.options.region, this.random);
    const attributes: Attribute[] = params.attributes
      ? structuredClone(params.attributes)
      : DEFAULT_CAPABILITIES.map((name) => ({ name }));
    for (const [name, value] of [
      ['ecs.availability-zone', zone],
      ['ecs.instance-type', params.instanceType ?? 't3.large'],
      ['ecs.os-type', 'linux'],
    ] as const) {
      if (!attributes.some((a) => a.name === name)) attributes.push({ name, value });
    }
    const instance: InstanceRecord = {
      id,
      arn: containerInstanceArn(this.scope, cluster.arnFormat, cluster.name, id),
      cluster,
      ec2InstanceId: params.ec2InstanceId ?? this.ids.ec2InstanceId(),
      availabilityZone: zone,
      registeredAt: now,
      registeredResources: registered,
      status: 'ACTIVE',
      agentConnected: true,
      attributes: deepFreeze(attributes),
      versionInfo: frozenCopy(params.versionInfo ?? DEFAULT_VERSION_INFO),
      tags: frozenCopy(params.tags ?? []),
      version: 1,
      updatedAt: now,
      remainingCpu: cpu,
      remainingMemory: memory,
      usedPorts: new Set(registered.find((r) => r.name === 'PORTS')?.stringSetValue ?? []),
      usedPortsUdp: new Set(registered.find((r) => r.name === 'PORTS_UDP')?.stringSetValue ?? []),
      runningTasksCount: 0,
      pendingTasksCount: 0,
    };
    this.instances.set(id, instance);
    this.indexInstance(instance);
    cluster.registeredInstances++;
    this.events.instanceChanged(instance);
    return instance;
  }

  findContainerInstance(cluster: ClusterRecord, reference: string): InstanceRecord | undefined {
    const parsed = parseReference(this.scope, 'container-instance', reference);
    if (!parsed || (parsed.clusterName !== undefined && parsed.clusterName !== cluster.name)) return undefined;
    const instance = this.instances.get(parsed.id);
    return instance?.cluster === cluster ? instance : undefined;
  }

  deregisterContainerInstance(instance: InstanceRecord, force: boolean): InstanceRecord {
    if (instance.status === 'INACTIVE') return instance;
    const active = this.activeTasksByInstance.get(instance.id);
    if (active && active.size > 0) {
      if (!force) {
        throw new AwsError(
          'InvalidParameterException',
          'The container instance has tasks that are not stopped. Stop them or deregister with force.',
        );
      }
      for (const task of [...active]) {
        this.stopTask(task, { reason: 'Container instance deregistered', stopCode: 'TerminationNotice' }, true);
      }
    }
    this.unindexInstance(instance);
    instance.status = 'INACTIVE';
    instance.agentConnected = false;
    this.indexInstance(instance);
    instance.cluster.registeredInstances--;
    this.touchInstance(instance);
    this.inactiveInstances.push(instance);
    return instance;
  }

  listContainerInstances(cluster: ClusterRecord, status: InstanceStatus, after: number, limit: number): IndexPage<InstanceRecord> {
    const index = this.instanceIndexes.get(`${cluster.arn}|${status}`);
    return index ? index.page(after, limit) : { items: [] };
  }

  activeInstances(cluster: ClusterRecord): InstanceRecord[] {
    const index = this.instanceIndexes.get(`${cluster.arn}|ACTIVE`);
    return index ? [...index.values()] : [];
  }

  // ---- tasks ---------------------------------------------------------------

  /** RunTask: places `count` tasks on instances with room, or on Fargate. */
  runTask(cluster: ClusterRecord, given: LaunchParams, count: number, strategy: PlacementStrategyName): LaunchResult {
    const launch = frozenLaunch(given);
    this.checkLaunchable(launch);
    const need = this.factory.requirement(launch);
    if (launch.launchType === 'FARGATE') {
      const tasks: TaskRecord[] = [];
      for (let i = 0; i < count; i++) tasks.push(this.launch(cluster, launch, need, undefined));
      return { tasks, failures: [] };
    }
    const candidates = this.activeInstances(cluster).filter((instance) => instance.agentConnected);
    if (candidates.length === 0) {
      throw new AwsError('InvalidParameterException', 'No Container Instances were found in your cluster.');
    }
    const tasks: TaskRecord[] = [];
    const failures = new Map<string, Failure>();
    for (let i = 0; i < count; i++) {
      const fitting: InstanceRecord[] = [];
      for (const instance of candidates) {
        const refused = refusal(instance, need);
        if (refused === undefined) fitting.push(instance);
        else failures.set(`${instance.arn}|${refused}`, { arn: instance.arn, reason: refused });
      }
      const chosen = choose(fitting, strategy, this.random);
      if (!chosen) break;
      tasks.push(this.launch(cluster, launch, need, chosen));
    }
    return { tasks, failures: tasks.length === count ? [] : [...failures.values()] };
  }

  /** StartTask: one task on each named instance that has room. */
  startTask(cluster: ClusterRecord, given: LaunchParams, instanceReferences: string[]): LaunchResult {
    const launch = frozenLaunch(given);
    this.checkLaunchable(launch);
    const need = this.factory.requirement(launch);
    const tasks: TaskRecord[] = [];
    const failures: Failure[] = [];
    for (const reference of instanceReferences) {
      const instance = this.findContainerInstance(cluster, reference);
      if (!instance || instance.status !== 'ACTIVE') {
        failures.push({ arn: reference, reason: 'MISSING' });
        continue;
      }
      const refused = refusal(instance, need);
      if (refused !== undefined) failures.push({ arn: instance.arn, reason: refused });
      else tasks.push(this.launch(cluster, launch, need, instance));
    }
    return { tasks, failures };
  }

  findTask(cluster: ClusterRecord, reference: string): TaskRecord | undefined {
    const parsed = parseReference(this.scope, 'task', reference);
    if (!parsed || (parsed.clusterName !== undefined && parsed.clusterName !== cluster.name)) return undefined;
    const task = this.tasks.get(parsed.id);
    return task?.cluster === cluster ? task : undefined;
  }

  /**
   * Sets the desired status to STOPPED (one version, one event), then after the
   * transition delay, or at once when `immediate`, the last status (another).
   */
  stopTask(task: TaskRecord, params: StopParams, immediate = false): TaskRecord {
    if (task.desiredStatus === 'STOPPED') {
      if (immediate) this.finishStop(task, params);
      return task;
    }
    this.cancelTimer(task);
    const now = this.now();
    this.taskIndexes.remove(task);
    task.desiredStatus = 'STOPPED';
    this.taskIndexes.add(task);
    task.stoppingAt = now;
    task.stoppedReason = params.reason ?? DEFAULT_STOP_REASON;
    task.stopCode = params.stopCode ?? 'UserInitiated';
    this.touchTask(task, now);
    if (immediate) this.finishStop(task, params);
    else this.schedule(task, this.options.stopDelayMs, () => this.finishStop(task, params));
    return task;
  }

  listTasks(query: TaskQuery, resumeKey: string | undefined, after: number, limit: number): { key: string; page: IndexPage<TaskRecord> } | undefined {
    const key = this.taskIndexes.chooseIndex(query, resumeKey);
    if (key === undefined) return undefined;
    return { key, page: this.taskIndexes.page(key, query, after, limit) };
  }

  /**
   * Creates up to `count` RUNNING tasks at once, without transition timers: EC2 tasks
   * round-robin over the cluster's instances that still have room, Fargate tasks
   * anywhere. Each task gets version 2, as if it had gone PENDING -> RUNNING; when
   * `publishEvents`, one RUNNING event per task and one event per touched instance.
   */
  populateRunningTasks(cluster: ClusterRecord, given: LaunchParams, count: number, publishEvents: boolean): TaskRecord[] {
    const launch = frozenLaunch(given);
    this.checkLaunchable(launch);
    const need = this.factory.requirement(launch);
    const instances = launch.launchType === 'EC2' ? this.activeInstances(cluster) : [];
    const touched = new Set<InstanceRecord>();
    const created: TaskRecord[] = [];
    let cursor = 0;
    for (let i = 0; i < count; i++) {
      let instance: InstanceRecord | undefined;
      if (launch.launchType === 'EC2') {
        for (let tries = 0; tries < instances.length && !instance; tries++) {
          const candidate = instances[(cursor + tries) % instances.length] as InstanceRecord;
          if (refusal(candidate, need) === undefined) {
            instance = candidate;
            cursor = (cursor + tries + 1) % instances.length;
          }
        }
        if (!instance) break;
        touched.add(instance);
      }
      const now = this.now();
      const task = this.factory.build(cluster, launch, need, instance, now);
      this.factory.markRunning(task, now);
      task.version = 2;
      this.admit(task);
      created.push(task);
      if (publishEvents) this.events.taskChanged(task);
    }
    for (const instance of touched) {
      instance.version++;
      instance.updatedAt = this.now();
      if (publishEvents) this.events.instanceChanged(instance);
    }
    return created;
  }

  // ---- retention and ground truth -----------------------------------------

  /** Forgets STOPPED tasks and INACTIVE instances older than the retention. */
  purgeExpired(): void {
    const horizon = this.now() - this.options.retentionMs;
    for (const task of this.stoppedTasks.drain((t) => (t.stoppedAt ?? 0) <= horizon)) {
      if (this.tasks.get(task.id) === task) this.forgetTask(task);
    }
    for (const instance of this.inactiveInstances.drain((i) => i.updatedAt <= horizon)) {
      if (this.instances.get(instance.id) === instance) this.forgetInstance(instance);
    }
    this.services.purgeExpired(horizon);
  }

  groundTruth(): EcsGroundTruth {
    this.purgeExpired();
    return {
      clusters: [...this.clusterOrder.values()].map((cluster) => renderCluster(cluster, true) as Cluster),
      containerInstances: [...this.instances.values()].map((instance) => ({
        ...(renderContainerInstance(instance, dateStamp, true) as ContainerInstance),
        clusterArn: instance.cluster.arn,
      })),
      tasks: [...this.tasks.values()].map((task) => renderTask(task, dateStamp, true) as Task),
      services: this.services.all().map((service) => renderService(service, dateStamp, true) as Service),
    };
  }

  // ---- internals -------------------------------------------------------------

  private checkLaunchable(launch: LaunchParams): void {
    if (launch.launchType !== 'FARGATE') return;
    const definition = launch.taskDefinition;
    if (!TaskDefinitionRegistry.compatibilities(definition).includes('FARGATE')) {
      throw new AwsError(
        'InvalidParameterException',
        'Task definition does not support launch_type FARGATE: it needs networkMode awsvpc and task-level cpu and memory.',
      );
    }
  }

  private launch(cluster: ClusterRecord, launch: LaunchParams, need: Reservation, instance: InstanceRecord | undefined): TaskRecord {
    const now = this.now();
    const task = this.factory.build(cluster, launch, need, instance, now);
    this.admit(task);
    this.events.taskChanged(task);
    if (instance) this.touchInstance(instance, now);
    this.schedule(task, this.options.transitionDelayMs, () => this.startRunning(task));
    return task;
  }

  /** Indexes a new task and books it on its instance and cluster. */
  private admit(task: TaskRecord): void {
    this.tasks.set(task.id, task);
    this.taskIndexes.add(task);
    const running = task.lastStatus === 'RUNNING';
    if (running) task.cluster.runningTasks++;
    else task.cluster.pendingTasks++;
    const instance = task.instance;
    if (!instance) return;
    instance.remainingCpu -= task.reservation.cpu;
    instance.remainingMemory -= task.reservation.memory;
    for (const port of task.reservation.ports) instance.usedPorts.add(port);
    for (const port of task.reservation.portsUdp) instance.usedPortsUdp.add(port);
    if (running) instance.runningTasksCount++;
    else instance.pendingTasksCount++;
    let active = this.activeTasksByInstance.get(instance.id);
    if (!active) {
      active = new Set();
      this.activeTasksByInstance.set(instance.id, active);
    }
    active.add(task);
  }

  private startRunning(task: TaskRecord): void {
    if (task.lastStatus !== 'PENDING' || task.desiredStatus !== 'RUNNING') return;
    const now = this.now();
    this.factory.markRunning(task, now);
    task.cluster.pendingTasks--;
    task.cluster.runningTasks++;
    this.touchTask(task, now);
    const instance = task.instance;
    if (instance) {
      instance.pendingTasksCount--;
      instance.runningTasksCount++;
      this.touchInstance(instance, now);
    }
  }

  private finishStop(task: TaskRecord, params: StopParams): void {
    if (task.lastStatus === 'STOPPED') return;
    this.cancelTimer(task);
    const now = this.now();
    const wasRunning = task.lastStatus === 'RUNNING';
    task.lastStatus = 'STOPPED';
    task.executionStoppedAt = now;
    task.stoppedAt = now;
    if (task.attachment) task.attachment.status = 'DELETED';
    for (const container of task.containers) {
      const started = container.lastStatus === 'RUNNING';
      container.lastStatus = 'STOPPED';
      if (started) container.exitCode = params.exitCode ?? 0;
      if (params.containerReason !== undefined) container.reason = params.containerReason;
    }
    if (wasRunning) task.cluster.runningTasks--;
    else task.cluster.pendingTasks--;
    this.touchTask(task, now);
    const instance = task.instance;
    if (instance) {
      instance.remainingCpu += task.reservation.cpu;
      instance.remainingMemory += task.reservation.memory;
      for (const port of task.reservation.ports) instance.usedPorts.delete(port);
      for (const port of task.reservation.portsUdp) instance.usedPortsUdp.delete(port);
      if (wasRunning) instance.runningTasksCount--;
      else instance.pendingTasksCount--;
      this.activeTasksByInstance.get(instance.id)?.delete(task);
      this.touchInstance(instance, now);
    }
    this.stoppedTasks.push(task);
  }

  private touchTask(task: TaskRecord, now: number): void {
    task.version++;
    task.updatedAt = now;
    this.events.taskChanged(task);
  }

  private touchInstance(instance: InstanceRecord, now = this.now()): void {
    instance.version++;
    instance.updatedAt = now;
    this.events.instanceChanged(instance);
  }

  private schedule(task: TaskRecord, delayMs: number, transition: () => void): void {
    if (delayMs === 0) {
      transition();
      return;
    }
    if (this.closed) return;
    task.timer = setTimeout(() => {
      task.timer = undefined;
      this.timed.delete(task);
      transition();
    }, delayMs);
    task.timer.unref();
    this.timed.add(task);
  }

  private cancelTimer(task: TaskRecord): void {
    if (task.timer === undefined) return;
    clearTimeout(task.timer);
    task.timer = undefined;
    this.timed.delete(task);
  }

  private forgetTask(task: TaskRecord): void {
    this.cancelTimer(task);
    this.tasks.delete(task.id);
    this.taskIndexes.remove(task);
  }

  private forgetInstance(instance: InstanceRecord): void {
    this.unindexInstance(instance);
    this.instances.delete(instance.id);
    this.activeTasksByInstance.delete(instance.id);
  }

  private indexInstance(instance: InstanceRecord): void {
    const key = `${instance.cluster.arn}|${instance.status}`;
    let index = this.instanceIndexes.get(key);
    if (!index) {
      index = new OrderedIndex(key);
      this.instanceIndexes.set(key, index);
    }
    instance.indexSlot = index.add(instance);
  }

  private unindexInstance(instance: InstanceRecord): void {
    if (instance.indexSlot) instance.indexSlot.owner.remove(instance.indexSlot);
    instance.indexSlot = undefined;
  }
}
