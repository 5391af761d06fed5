import type { NetworkConfiguration, PlacementStrategy } from '@aws-sdk/client-ecs';
import { AwsError } from '../aws/aws-error';
import { serviceArn } from './arns';
import { checkDescribeList, wantsTags } from './describe-limits';
import type { EcsState } from './ecs-state';
import { deepFreeze, frozenCopy } from './frozen';
import {
  CreateServiceInput,
  DeleteServiceInput,
  DescribeServicesInput,
  ListServicesInput,
  parseInput,
  UpdateServiceInput,
} from './inputs';
import type { SimLaunchType, TaskDefinitionRecord } from './model';
import { decodeToken, encodeToken, pageSize } from './pagination';
import { wireStamp } from './render';
import type { DeploymentSettings, LaunchSettings } from './service-model';
import { renderService } from './service-render';
import { TaskDefinitionRegistry } from './task-definitions';
import { launchTypeOf } from './task-operations';

type Input = Record<string, unknown>;

/** DescribeServices takes at most 10 services, ListServices answers 10 by default (the other Describe and List operations: 100). */
const MAX_DESCRIBE_SERVICES = 10;
const LIST_SERVICES_DEFAULT = 10;

const DEFAULT_DEPLOYMENT: DeploymentSettings = deepFreeze({
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  deploymentCircuitBreaker: { enable: false, rollback: false },
});

interface DeploymentInput {
  maximumPercent?: number | undefined;
  minimumHealthyPercent?: number | undefined;
  deploymentCircuitBreaker?: { enable: boolean; rollback: boolean } | undefined;
}

function deploymentSettings(given: DeploymentInput | undefined, base: DeploymentSettings): DeploymentSettings {
  const settings = {
    maximumPercent: given?.maximumPercent ?? base.maximumPercent,
    minimumHealthyPercent: given?.minimumHealthyPercent ?? base.minimumHealthyPercent,
    deploymentCircuitBreaker: given?.deploymentCircuitBreaker ?? base.deploymentCircuitBreaker,
  };
  if (settings.minimumHealthyPercent < 0 || settings.minimumHealthyPercent > 100) {
    throw new AwsError('InvalidParameterException', 'minimumHealthyPercent must be between 0 and 100.');
  }
  if (settings.maximumPercent < 100 || settings.maximumPercent > 200) {
    throw new AwsError('InvalidParameterException', 'maximumPercent must be between 100 and 200.');
  }
  return frozenCopy(settings);
}

function checkDesiredCount(count: number): void {
  if (count < 0) throw new AwsError('InvalidParameterException', 'desiredCount must be 0 or more.');
}

interface LaunchInput {
  capacityProviderStrategy?: { capacityProvider: string; weight?: number | undefined; base?: number | undefined }[] | undefined;
  platformVersion?: string | undefined;
  networkConfiguration?: NetworkConfiguration | undefined;
  placementStrategy?: { type?: string | undefined; field?: string | undefined }[] | undefined;
}

function launchSettings(definition: TaskDefinitionRecord, launchType: SimLaunchType, given: LaunchInput, base?: LaunchSettings): LaunchSettings {
  if (launchType === 'FARGATE' && !TaskDefinitionRegistry.compatibilities(definition).includes('FARGATE')) {
    throw new AwsError(
      'InvalidParameterException',
      'Task definition does not support launch_type FARGATE: it needs networkMode awsvpc and task-level cpu and memory.',
    );
  }
  const providers = given.capacityProviderStrategy ?? base?.capacityProviderStrategy;
  const platformVersion = given.platformVersion ?? base?.platformVersion;
  const network = given.networkConfiguration ?? base?.networkConfiguration;
  if (definition.networkMode === 'awsvpc' && network?.awsvpcConfiguration === undefined) {
    throw new AwsError('InvalidParameterException', "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  return deepFreeze({
    taskDefinition: definition,
    launchType,
    ...(providers === undefined ? {} : { capacityProviderStrategy: structuredClone(providers) }),
    ...(launchType === 'FARGATE' && platformVersion !== undefined ? { platformVersion } : {}),
    ...(network === undefined ? {} : { networkConfiguration: structuredClone(network) }),
    placementStrategy: structuredClone((given.placementStrategy ?? base?.placementStrategy ?? []) as PlacementStrategy[]),
  });
}

export function createService(state: EcsState, input: Input): unknown {
  const request = parseInput(CreateServiceInput, input);
  const cluster = state.cluster(request.cluster);
  if (request.schedulingStrategy !== undefined && request.schedulingStrategy !== 'REPLICA') {
    throw new AwsError('InvalidParameterException', 'Only the REPLICA scheduling strategy is simulated.');
  }
  if (request.deploymentController !== undefined && request.deploymentController.type !== 'ECS') {
    throw new AwsError('InvalidParameterException', 'Only the ECS (rolling update) deployment controller is simulated.');
  }
  if (request.taskDefinition === undefined) throw new AwsError('InvalidParameterException', 'TaskDefinition can not be blank.');
  if (request.desiredCount === undefined) {
    throw new AwsError('InvalidParameterException', 'desiredCount is required for the REPLICA scheduling strategy.');
  }
  checkDesiredCount(request.desiredCount);
  const definition = state.taskDefinitions.resolve(request.taskDefinition);
  const launchType = launchTypeOf(request.launchType, request.capacityProviderStrategy);
  const service = state.services.create(cluster, {
    name: request.serviceName,
    desiredCount: request.desiredCount,
    launch: launchSettings(definition, launchType, request),
    deploymentConfiguration: deploymentSettings(request.deploymentConfiguration, DEFAULT_DEPLOYMENT),
    loadBalancers: frozenCopy(request.loadBalancers ?? []),
    placementConstraints: frozenCopy(request.placementConstraints ?? []),
    ...(request.healthCheckGracePeriodSeconds === undefined ? {} : { healthCheckGracePeriodSeconds: request.healthCheckGracePeriodSeconds }),
    tags: frozenCopy(request.tags ?? []),
  });
  return { service: renderService(service, wireStamp, true) };
}

export function updateService(state: EcsState, input: Input): unknown {
  const request = parseInput(UpdateServiceInput, input);
  const cluster = state.cluster(request.cluster);
  const service = state.services.active(cluster, request.service);
  if (request.desiredCount !== undefined) checkDesiredCount(request.desiredCount);
  const current = service.launch;
  const changesLaunch =
    request.taskDefinition !== undefined ||
    request.capacityProviderStrategy !== undefined ||
    request.platformVersion !== undefined ||
    request.networkConfiguration !== undefined ||
    request.placementStrategy !== undefined;
  let launch: LaunchSettings | undefined;
  if (changesLaunch) {
    const definition = request.taskDefinition === undefined ? current.taskDefinition : state.taskDefinitions.resolve(request.taskDefinition);
    const launchType = request.capacityProviderStrategy === undefined ? current.launchType : launchTypeOf(undefined, request.capacityProviderStrategy);
    launch = launchSettings(definition, launchType, request, current);
  }
  state.services.update(service, {
    ...(request.desiredCount === undefined ? {} : { desiredCount: request.desiredCount }),
    ...(launch === undefined ? {} : { launch }),
    forceNewDeployment: request.forceNewDeployment ?? false,
    ...(request.deploymentConfiguration === undefined
      ? {}
      : { deploymentConfiguration: deploymentSettings(request.deploymentConfiguration, service.deploymentConfiguration) }),
    ...(request.loadBalancers === undefined ? {} : { loadBalancers: frozenCopy(request.loadBalancers) }),
    ...(request.placementConstraints === undefined ? {} : { placementConstraints: frozenCopy(request.placementConstraints) }),
    ...(request.healthCheckGracePeriodSeconds === undefined ? {} : { healthCheckGracePeriodSeconds: request.healthCheckGracePeriodSeconds }),
  });
  return { service: renderService(service, wireStamp, false) };
}

export function deleteService(state: EcsState, input: Input): unknown {
  const request = parseInput(DeleteServiceInput, input);
  const cluster = state.cluster(request.cluster);
  const service = state.services.find(cluster, request.service);
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
  return { service: renderService(state.services.delete(service, request.force ?? false), wireStamp, false) };
}

export function listServices(state: EcsState, input: Input): unknown {
  const request = parseInput(ListServicesInput, input);
  const cluster = state.cluster(request.cluster);
  const limit = pageSize(request.maxResults, LIST_SERVICES_DEFAULT);
  const cursor = decodeToken(request.nextToken);
  if (request.launchType !== undefined && !['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'].includes(request.launchType)) {
    throw new AwsError('InvalidParameterException', `Invalid launchType: ${request.launchType}`);
  }
  if (request.schedulingStrategy === 'DAEMON') return { serviceArns: [] };
  const launchType = request.launchType;
  const page = state.services.list(cluster, cursor?.after ?? 0, limit, (service) =>
    launchType === undefined || (service.launch.capacityProviderStrategy === undefined && service.launch.launchType === launchType),
  );
  return {
    serviceArns: page.items.map((service) => service.arn),
    ...(page.next === undefined ? {} : { nextToken: encodeToken({ after: page.next }) }),
  };
}

export function describeServices(state: EcsState, input: Input): unknown {
  const request = parseInput(DescribeServicesInput, input);
  const cluster = state.cluster(request.cluster);
  checkDescribeList(request.services, 'services', MAX_DESCRIBE_SERVICES);
  const tags = wantsTags(request.include);
  const services: unknown[] = [];
  const failures: unknown[] = [];
  for (const reference of request.services) {
    const service = state.services.find(cluster, reference);
    if (service) services.push(renderService(service, wireStamp, tags));
    else {
      const arn = reference.startsWith('arn:') ? reference : serviceArn(state.scope, cluster.arnFormat, cluster.name, reference);
      failures.push({ arn, reason: 'MISSING' });
    }
  }
  return { services, failures };
}
