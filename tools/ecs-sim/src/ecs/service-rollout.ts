import { AwsError } from '../aws/aws-error';
import { type ArnScope, arnPrefix } from './arns';
import type { LaunchParams, LaunchResult, StopParams } from './ecs-state';
import type { EventEmitter } from './events';
import { failsHealthCheck } from './health-check';
import type { IdSource } from './ids';
import type { ClusterRecord, TaskRecord } from './model';
import type { PlacementStrategyName } from './placement';
import type { DeploymentRecord, LaunchSettings, ServiceRecord } from './service-model';

/** What the service scheduler needs from the control plane: the same launch and stop paths RunTask and StopTask take. */
export interface TaskLauncher {
  runTask(cluster: ClusterRecord, launch: LaunchParams, count: number, strategy: PlacementStrategyName): LaunchResult;
  stopTask(task: TaskRecord, params: StopParams): TaskRecord;
}

export interface RolloutContext {
  readonly scope: ArnScope;
  readonly launcher: TaskLauncher;
  readonly events: EventEmitter;
  readonly ids: IdSource;
  readonly now: () => number;
}

const MAX_MESSAGES = 100;
/** Stop codes of tasks that failed on their own, which the circuit breaker counts. */
const FAILURE_STOP_CODES = new Set(['TaskFailedToStart', 'EssentialContainerExited']);
const SCHEDULER_STOP = 'ServiceSchedulerInitiated';

/** ECS: the breaker trips after half the desired count of failed tasks, at least 3 and at most 200. */
export function failureThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount / 2)));
}

function healthy(task: TaskRecord): boolean {
  return task.lastStatus === 'RUNNING' && task.desiredStatus === 'RUNNING' && !failsHealthCheck(task.taskDefinition);
}

export function newDeployment(ids: IdSource, launch: LaunchSettings, desiredCount: number, now: number, reason?: string): DeploymentRecord {
  const id = ids.deploymentId();
  return {
    id,
    status: 'PRIMARY',
    launch,
    desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: reason ?? `ECS deployment ${id} in progress.`,
    tasks: new Set(),
    startImpairedReported: false,
  };
}

/** Makes `deployment` the service's PRIMARY one and reports it IN_PROGRESS. */
export function beginDeployment(context: RolloutContext, service: ServiceRecord, deployment: DeploymentRecord): void {
  for (const older of service.deployments) older.status = 'ACTIVE';
  service.deployments.unshift(deployment);
  service.launch = deployment.launch;
  service.steady = false;
  context.events.deploymentChanged(service, deployment, 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'INFO', deployment.rolloutStateReason);
}

export function note(context: RolloutContext, service: ServiceRecord, message: string): void {
  service.messages.unshift({ id: context.ids.uuid(), createdAt: context.now(), message: `(service ${service.name}) ${message}` });
  if (service.messages.length > MAX_MESSAGES) service.messages.length = MAX_MESSAGES;
}

/**
 * One pass of the service scheduler over one service, as the ECS rolling update does
 * it: forget stopped tasks (counting failures), stop RUNNING tasks that fail their
 * health checks, trip the circuit breaker (and roll back), start tasks for the PRIMARY
 * deployment within `maximumPercent`, stop tasks of older deployments while
 * `minimumHealthyPercent` allows, then report counts, completion and steady state.
 * Returns false once a DRAINING service has no task left (it becomes INACTIVE).
 */
export function advanceService(context: RolloutContext, service: ServiceRecord): boolean {
  settle(context, service);
  checkCircuitBreaker(context, service);
  const desired = service.status === 'DRAINING' ? 0 : service.desiredCount;
  const primary = service.deployments[0] as DeploymentRecord;
  if (primary.rolloutState !== 'FAILED' || service.status === 'DRAINING') primary.desiredCount = desired;
  start(context, service, primary, desired);
  stopSurplus(context, service, primary, desired);
  refreshCounts(context, service);
  if (service.status === 'DRAINING') return service.deployments.some((d) => d.tasks.size > 0);
  reportSteadyState(context, service, primary, desired);
  return true;
}

function settle(context: RolloutContext, service: ServiceRecord): void {
  const unhealthy: TaskRecord[] = [];
  for (const deployment of service.deployments) {
    for (const task of [...deployment.tasks]) {
      if (task.desiredStatus === 'STOPPED') {
        deployment.tasks.delete(task);
        service.steady = false;
        if (task.stopCode !== undefined && FAILURE_STOP_CODES.has(task.stopCode)) deployment.failedTasks++;
      } else if (task.lastStatus === 'RUNNING' && failsHealthCheck(task.taskDefinition)) {
        deployment.tasks.delete(task);
        service.steady = false;
        deployment.failedTasks++;
        context.launcher.stopTask(task, { stopCode: SCHEDULER_STOP, reason: 'Task failed container health checks', exitCode: 137 });
        unhealthy.push(task);
      }
    }
  }
  for (const task of unhealthy) note(context, service, `(task ${task.id}) failed container health checks.`);
  if (unhealthy.length > 0) {
    note(context, service, `has stopped ${unhealthy.length} running tasks: ${unhealthy.map((t) => `(task ${t.id})`).join(' ')}.`);
  }
}

function checkCircuitBreaker(context: RolloutContext, service: ServiceRecord): void {
  const primary = service.deployments[0] as DeploymentRecord;
  if (primary.rolloutState !== 'IN_PROGRESS' || service.status !== 'ACTIVE') return;
  if (primary.failedTasks < failureThreshold(service.desiredCount)) return;
  const now = context.now();
  if (!primary.startImpairedReported) {
    primary.startImpairedReported = true;
    context.events.serviceAction(service, 'SERVICE_TASK_START_IMPAIRED', 'WARN', now);
    note(context, service, 'is unable to consistently start tasks successfully.');
  }
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  if (!breaker.enable) return;
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
  primary.updatedAt = now;
  context.events.deploymentChanged(service, primary, 'SERVICE_DEPLOYMENT_FAILED', 'ERROR', 'ECS deployment circuit breaker: task failed to start.');
  note(context, service, `deployment ${primary.id} deployment failed: tasks failed to start.`);
  const target = service.lastCompleted;
  if (!breaker.rollback || target === undefined) return;
  const rollback = newDeployment(
    context.ids,
    target.launch,
    service.desiredCount,
    now,
    `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`,
  );
  beginDeployment(context, service, rollback);
  note(context, service, `rolling back to deployment ${target.id}.`);
}

function launchParams(service: ServiceRecord, deployment: DeploymentRecord): LaunchParams {
  const launch = deployment.launch;
  const subnet = launch.networkConfiguration?.awsvpcConfiguration?.subnets?.[0];
  return {
    taskDefinition: launch.taskDefinition,
    launchType: launch.launchType,
    group: `service:${service.name}`,
    startedBy: deployment.id,
    ...(launch.launchType === 'FARGATE' && launch.platformVersion !== undefined && launch.platformVersion !== 'LATEST'
      ? { platformVersion: launch.platformVersion }
      : {}),
    ...(subnet === undefined ? {} : { subnet }),
  };
}

function strategyOf(service: ServiceRecord): PlacementStrategyName {
  const first = service.launch.placementStrategy[0];
  if (first?.type === 'random') return 'random';
  if (first?.type === 'binpack') return first.field?.toLowerCase() === 'cpu' ? 'binpack-cpu' : 'binpack-memory';
  return 'spread';
}

function start(context: RolloutContext, service: ServiceRecord, primary: DeploymentRecord, desired: number): void {
  if (service.status !== 'ACTIVE' || primary.rolloutState === 'FAILED') return;
  let total = 0;
  for (const deployment of service.deployments) total += deployment.tasks.size;
  const maxTotal = Math.max(desired, Math.floor((desired * service.deploymentConfiguration.maximumPercent) / 100));
  const count = Math.min(desired - primary.tasks.size, maxTotal - total);
  if (count <= 0) return;
  let result: LaunchResult;
  try {
    result = context.launcher.runTask(service.cluster, launchParams(service, primary), count, strategyOf(service));
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    reportPlacementFailure(context, service, error.message, []);
    return;
  }
  for (const task of result.tasks) primary.tasks.add(task);
  if (result.tasks.length > 0) {
    note(context, service, `has started ${result.tasks.length} tasks: ${result.tasks.map((t) => `(task ${t.id})`).join(' ')}.`);
  }
  if (result.tasks.length < count) {
    const reason = result.failures[0]?.reason ?? 'RESOURCE:CPU';
    const arns = [...new Set(result.failures.map((f) => f.arn).filter((arn): arn is string => arn !== undefined))];
    reportPlacementFailure(context, service, reason, arns);
  } else {
    service.placementFailing = false;
  }
}

/** SERVICE_TASK_PLACEMENT_FAILURE once per episode: the scheduler retries every pass, ECS reports it far less often. */
function reportPlacementFailure(context: RolloutContext, service: ServiceRecord, reason: string, instanceArns: string[]): void {
  if (service.placementFailing) return;
  service.placementFailing = true;
  const providers = service.launch.capacityProviderStrategy;
  const details =
    providers !== undefined
      ? { capacityProviderArns: providers.map((p) => `${arnPrefix(context.scope)}capacity-provider/${p.capacityProvider ?? ''}`), reason }
      : { containerInstanceArns: instanceArns, reason };
  context.events.serviceAction(service, 'SERVICE_TASK_PLACEMENT_FAILURE', 'ERROR', context.now(), details);
  note(context, service, `was unable to place a task because no container instance met all of its requirements. Reason: ${reason}.`);
}

function stopSurplus(context: RolloutContext, service: ServiceRecord, primary: DeploymentRecord, desired: number): void {
  let healthyTotal = 0;
  for (const deployment of service.deployments) for (const task of deployment.tasks) if (healthy(task)) healthyTotal++;
  const minHealthy = Math.ceil((desired * service.deploymentConfiguration.minimumHealthyPercent) / 100);
  const stopped: TaskRecord[] = [];
  const stop = (deployment: DeploymentRecord, task: TaskRecord): void => {
    deployment.tasks.delete(task);
    context.launcher.stopTask(task, { stopCode: SCHEDULER_STOP, reason: `Scaling activity initiated by (deployment ${deployment.id})` });
    stopped.push(task);
  };
  // Tasks that serve nothing yet (PENDING, or failing) go first and never count against the minimum.
  const ordered = (deployment: DeploymentRecord): TaskRecord[] =>
    [...deployment.tasks].sort((a, b) => Number(healthy(a)) - Number(healthy(b)));
  for (const deployment of service.deployments.slice(1)) {
    for (const task of ordered(deployment)) {
      if (!healthy(task)) stop(deployment, task);
      else if (healthyTotal - 1 >= minHealthy) {
        stop(deployment, task);
        healthyTotal--;
      }
    }
  }
  const excess = primary.tasks.size - desired;
  for (const task of ordered(primary).slice(0, Math.max(0, excess))) stop(primary, task);
  if (stopped.length > 0) {
    note(context, service, `has stopped ${stopped.length} running tasks: ${stopped.map((t) => `(task ${t.id})`).join(' ')}.`);
  }
}

function refreshCounts(context: RolloutContext, service: ServiceRecord): void {
  const now = context.now();
  for (const [index, deployment] of service.deployments.entries()) {
    let running = 0;
    let pending = 0;
    for (const task of deployment.tasks) {
      if (task.lastStatus === 'RUNNING') running++;
      else pending++;
    }
    const desired = index === 0 ? deployment.desiredCount : deployment.tasks.size;
    if (running !== deployment.runningCount || pending !== deployment.pendingCount || desired !== deployment.desiredCount) {
      deployment.runningCount = running;
      deployment.pendingCount = pending;
      deployment.desiredCount = desired;
      deployment.updatedAt = now;
    }
  }
}

function reportSteadyState(context: RolloutContext, service: ServiceRecord, primary: DeploymentRecord, desired: number): void {
  let primaryHealthy = 0;
  for (const task of primary.tasks) if (healthy(task)) primaryHealthy++;
  const othersIdle = service.deployments.every((d) => d === primary || d.tasks.size === 0);
  const steadyNow = primary.rolloutState !== 'FAILED' && primaryHealthy === desired && primary.tasks.size === desired && othersIdle;
  if (!steadyNow) {
    service.steady = false;
    return;
  }
  const now = context.now();
  if (primary.rolloutState === 'IN_PROGRESS') {
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
    primary.updatedAt = now;
    service.lastCompleted = { id: primary.id, launch: primary.launch };
    context.events.deploymentChanged(service, primary, 'SERVICE_DEPLOYMENT_COMPLETED', 'INFO', primary.rolloutStateReason);
    note(context, service, `deployment ${primary.id} deployment completed.`);
  }
  service.deployments = [primary];
  if (!service.steady) {
    service.steady = true;
    context.events.serviceAction(service, 'SERVICE_STEADY_STATE', 'INFO', now);
    note(context, service, 'has reached a steady state.');
  }
}
