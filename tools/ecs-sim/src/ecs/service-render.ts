import type { Stamp } from './render';
import type { DeploymentRecord, LaunchSettings, ServiceRecord } from './service-model';

type Shape = Record<string, unknown>;

/** How a service or deployment says where its tasks run: a launch type, or the capacity provider strategy it was given. */
function putLaunch(out: Shape, launch: LaunchSettings): void {
  if (launch.capacityProviderStrategy !== undefined) out.capacityProviderStrategy = launch.capacityProviderStrategy;
  else out.launchType = launch.launchType;
  if (launch.launchType === 'FARGATE') {
    out.platformVersion = launch.platformVersion ?? 'LATEST';
    out.platformFamily = 'Linux';
  }
}

export function renderDeployment(deployment: DeploymentRecord, stamp: Stamp): Shape {
  const out: Shape = {
    id: deployment.id,
    status: deployment.status,
    taskDefinition: deployment.launch.taskDefinition.arn,
    desiredCount: deployment.desiredCount,
    pendingCount: deployment.pendingCount,
    runningCount: deployment.runningCount,
    failedTasks: deployment.failedTasks,
    createdAt: stamp(deployment.createdAt),
    updatedAt: stamp(deployment.updatedAt),
  };
  putLaunch(out, deployment.launch);
  if (deployment.launch.networkConfiguration !== undefined) out.networkConfiguration = deployment.launch.networkConfiguration;
  out.rolloutState = deployment.rolloutState;
  out.rolloutStateReason = deployment.rolloutStateReason;
  return out;
}

/** A Service as DescribeServices answers it; tags only when asked for (`include: ['TAGS']`). */
export function renderService(service: ServiceRecord, stamp: Stamp, includeTags: boolean): Shape {
  let running = 0;
  let pending = 0;
  for (const deployment of service.deployments) {
    running += deployment.runningCount;
    pending += deployment.pendingCount;
  }
  const out: Shape = {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.cluster.arn,
    loadBalancers: service.loadBalancers,
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: running,
    pendingCount: pending,
  };
  putLaunch(out, service.launch);
  out.taskDefinition = service.launch.taskDefinition.arn;
  out.deploymentConfiguration = service.deploymentConfiguration;
  out.deployments = service.deployments.map((deployment) => renderDeployment(deployment, stamp));
  out.events = service.messages.map((m) => ({ id: m.id, createdAt: stamp(m.createdAt), message: m.message }));
  out.createdAt = stamp(service.createdAt);
  out.placementConstraints = service.placementConstraints;
  out.placementStrategy = service.launch.placementStrategy;
  if (service.launch.networkConfiguration !== undefined) out.networkConfiguration = service.launch.networkConfiguration;
  if (service.healthCheckGracePeriodSeconds !== undefined) out.healthCheckGracePeriodSeconds = service.healthCheckGracePeriodSeconds;
  out.schedulingStrategy = 'REPLICA';
  out.deploymentController = { type: 'ECS' };
  if (includeTags) out.tags = service.tags;
  out.enableECSManagedTags = false;
  out.propagateTags = 'NONE';
  out.enableExecuteCommand = false;
  return out;
}
