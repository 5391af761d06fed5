import type { TaskOverride } from '@aws-sdk/client-ecs';
import { AwsError } from '../aws/aws-error';
import { taskArn } from './arns';
import { checkDescribeList, wantsTags } from './describe-limits';
import type { EcsState, LaunchParams, LaunchResult } from './ecs-state';
import {
  DescribeTasksInput,
  ListTasksInput,
  parseInput,
  RunTaskInput,
  StartTaskInput,
  StopTaskInput,
} from './inputs';
import type { SimLaunchType, TaskDesiredStatus } from './model';
import { decodeToken, encodeToken, pageSize } from './pagination';
import type { PlacementStrategyName } from './placement';
import { renderTask, wireStamp } from './render';

type Input = Record<string, unknown>;

const MAX_RUN_COUNT = 10;
const MAX_START_INSTANCES = 10;

interface LaunchRequest {
  taskDefinition: string;
  group?: string | undefined;
  startedBy?: string | undefined;
  overrides?: Record<string, unknown> | undefined;
  tags?: { key?: string | undefined; value?: string | undefined }[] | undefined;
  networkConfiguration?: { awsvpcConfiguration?: { subnets?: string[] | undefined } | undefined } | undefined;
}

function launchParams(state: EcsState, request: LaunchRequest, launchType: SimLaunchType, platformVersion?: string): LaunchParams {
  const subnet = request.networkConfiguration?.awsvpcConfiguration?.subnets?.[0];
  return {
    taskDefinition: state.taskDefinitions.resolve(request.taskDefinition),
    launchType,
    ...(request.group === undefined ? {} : { group: request.group }),
    ...(request.startedBy === undefined ? {} : { startedBy: request.startedBy }),
    ...(request.overrides === undefined ? {} : { overrides: request.overrides as TaskOverride }),
    ...(request.tags === undefined ? {} : { tags: request.tags }),
    ...(platformVersion === undefined ? {} : { platformVersion }),
    ...(subnet === undefined ? {} : { subnet }),
  };
}

function launchResponse(result: LaunchResult): unknown {
  return { tasks: result.tasks.map((task) => renderTask(task, wireStamp, true)), failures: result.failures };
}

export function launchTypeOf(launchType: string | undefined, providers: { capacityProvider: string }[] | undefined): SimLaunchType {
  if (launchType !== undefined && providers !== undefined) {
    throw new AwsError('InvalidParameterException', 'Specifying both a launchType and capacityProviderStrategy is not supported.');
  }
  if (providers !== undefined) {
    return providers.some((p) => p.capacityProvider === 'FARGATE' || p.capacityProvider === 'FARGATE_SPOT') ? 'FARGATE' : 'EC2';
  }
  if (launchType === undefined || launchType === 'EC2') return 'EC2';
  if (launchType === 'FARGATE') return 'FARGATE';
  throw new AwsError('InvalidParameterException', `Launch type ${launchType} is not supported by this simulator.`);
}

function strategyOf(strategies: { type?: string | undefined; field?: string | undefined }[] | undefined): PlacementStrategyName {
  const first = strategies?.[0];
  if (first?.type === 'random') return 'random';
  if (first?.type === 'binpack') return first.field?.toLowerCase() === 'cpu' ? 'binpack-cpu' : 'binpack-memory';
  return 'spread';
}

export function runTask(state: EcsState, input: Input): unknown {
  const request = parseInput(RunTaskInput, input);
  const cluster = state.cluster(request.cluster);
  const count = request.count ?? 1;
  if (count < 1 || count > MAX_RUN_COUNT) {
    throw new AwsError('InvalidParameterException', `count must be between 1 and ${MAX_RUN_COUNT}.`);
  }
  const launchType = launchTypeOf(request.launchType, request.capacityProviderStrategy);
  const params = launchParams(state, request, launchType, launchType === 'FARGATE' ? request.platformVersion : undefined);
  return launchResponse(state.runTask(cluster, params, count, strategyOf(request.placementStrategy)));
}

export function startTask(state: EcsState, input: Input): unknown {
  const request = parseInput(StartTaskInput, input);
  const cluster = state.cluster(request.cluster);
  if (request.containerInstances.length === 0 || request.containerInstances.length > MAX_START_INSTANCES) {
    throw new AwsError('InvalidParameterException', `containerInstances must name between 1 and ${MAX_START_INSTANCES} instances.`);
  }
  return launchResponse(state.startTask(cluster, launchParams(state, request, 'EC2'), request.containerInstances));
}

export function stopTask(state: EcsState, input: Input): unknown {
  const request = parseInput(StopTaskInput, input);
  const cluster = state.cluster(request.cluster);
  const task = state.findTask(cluster, request.task);
  if (!task) throw new AwsError('InvalidParameterException', 'The referenced task was not found.');
  state.stopTask(task, request.reason === undefined ? {} : { reason: request.reason });
  return { task: renderTask(task, wireStamp, false) };
}

export function listTasks(state: EcsState, input: Input): unknown {
  const request = parseInput(ListTasksInput, input);
  const cluster = state.cluster(request.cluster);
  const limit = pageSize(request.maxResults);
  const cursor = decodeToken(request.nextToken);
  const desired = request.desiredStatus ?? 'RUNNING';
  if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desired)) {
    throw new AwsError('InvalidParameterException', `Invalid desiredStatus: ${desired}`);
  }
  if (request.launchType !== undefined && !['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'].includes(request.launchType)) {
    throw new AwsError('InvalidParameterException', `Invalid launchType: ${request.launchType}`);
  }
  // No simulated task ever has a desired status of PENDING.
  if (desired === 'PENDING') return { taskArns: [] };
  let containerInstanceArn: string | undefined;
  if (request.containerInstance !== undefined) {
    const instance = state.findContainerInstance(cluster, request.containerInstance);
    if (!instance) return { taskArns: [] };
    containerInstanceArn = instance.arn;
  }
  const listed = state.listTasks(
    {
      clusterArn: cluster.arn,
      desiredStatus: desired as TaskDesiredStatus,
      ...(containerInstanceArn === undefined ? {} : { containerInstanceArn }),
      ...(request.family === undefined ? {} : { family: request.family }),
      ...(request.startedBy === undefined ? {} : { startedBy: request.startedBy }),
      ...(request.serviceName === undefined ? {} : { group: `service:${request.serviceName}` }),
      ...(request.launchType === undefined ? {} : { launchType: request.launchType }),
    },
    cursor?.key,
    cursor?.after ?? 0,
    limit,
  );
  if (!listed) throw new AwsError('InvalidParameterException', 'Invalid token');
  return {
    taskArns: listed.page.items.map((task) => task.arn),
    ...(listed.page.next === undefined ? {} : { nextToken: encodeToken({ key: listed.key, after: listed.page.next }) }),
  };
}

export function describeTasks(state: EcsState, input: Input): unknown {
  const request = parseInput(DescribeTasksInput, input);
  const cluster = state.cluster(request.cluster);
  checkDescribeList(request.tasks, 'tasks');
  const tags = wantsTags(request.include);
  const tasks: unknown[] = [];
  const failures: unknown[] = [];
  for (const reference of request.tasks) {
    const task = state.findTask(cluster, reference);
    if (task) tasks.push(renderTask(task, wireStamp, tags));
    else {
      const arn = reference.startsWith('arn:') ? reference : taskArn(state.scope, cluster.arnFormat, cluster.name, reference);
      failures.push({ arn, reason: 'MISSING' });
    }
  }
  return { tasks, failures };
}
