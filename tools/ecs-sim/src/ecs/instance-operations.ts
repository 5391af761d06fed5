import { AwsError } from '../aws/aws-error';
import { containerInstanceArn } from './arns';
import { checkDescribeList, wantsTags } from './describe-limits';
import type { EcsState } from './ecs-state';
import {
  DeregisterContainerInstanceInput,
  DescribeContainerInstancesInput,
  ListContainerInstancesInput,
  parseInput,
  RegisterContainerInstanceInput,
} from './inputs';
import { decodeToken, encodeToken, pageSize } from './pagination';
import { renderContainerInstance, wireStamp } from './render';

type Input = Record<string, unknown>;

/** The filter values ECS accepts; INACTIVE instances are never listed, only described. */
const STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED'];

interface IdentityDocument {
  instanceId?: string;
  availabilityZone?: string;
  instanceType?: string;
}

/** The EC2 instance identity document the agent sends; only a few fields matter here. */
function identity(document: string | undefined): IdentityDocument {
  if (document === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(document);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const pick = (key: string): string | undefined => {
      const value = (parsed as Record<string, unknown>)[key];
      return typeof value === 'string' ? value : undefined;
    };
    return { instanceId: pick('instanceId'), availabilityZone: pick('availabilityZone'), instanceType: pick('instanceType') };
  } catch {
    throw new AwsError('InvalidParameterException', 'instanceIdentityDocument is not valid JSON.');
  }
}

export function registerContainerInstance(state: EcsState, input: Input): unknown {
  const request = parseInput(RegisterContainerInstanceInput, input);
  const cluster = state.cluster(request.cluster);
  const document = identity(request.instanceIdentityDocument);
  const instance = state.registerContainerInstance(cluster, {
    ...(request.totalResources ? { totalResources: request.totalResources } : {}),
    ...(request.attributes ? { attributes: request.attributes } : {}),
    ...(request.versionInfo ? { versionInfo: request.versionInfo } : {}),
    ...(request.tags ? { tags: request.tags } : {}),
    ...(document.instanceId ? { ec2InstanceId: document.instanceId } : {}),
    ...(document.availabilityZone ? { availabilityZone: document.availabilityZone } : {}),
    ...(document.instanceType ? { instanceType: document.instanceType } : {}),
  });
  return { containerInstance: renderContainerInstance(instance, wireStamp, true) };
}

export function deregisterContainerInstance(state: EcsState, input: Input): unknown {
  const request = parseInput(DeregisterContainerInstanceInput, input);
  const cluster = state.cluster(request.cluster);
  const instance = state.findContainerInstance(cluster, request.containerInstance);
  if (!instance) throw new AwsError('InvalidParameterException', 'Container instance not found.');
  state.deregisterContainerInstance(instance, request.force ?? false);
  return { containerInstance: renderContainerInstance(instance, wireStamp, false) };
}

export function listContainerInstances(state: EcsState, input: Input): unknown {
  const request = parseInput(ListContainerInstancesInput, input);
  const cluster = state.cluster(request.cluster);
  if (request.filter !== undefined) {
    throw new AwsError('InvalidParameterException', 'The cluster query language filter is not supported by this simulator.');
  }
  const status = request.status ?? 'ACTIVE';
  if (!STATUSES.includes(status)) throw new AwsError('InvalidParameterException', `Invalid status: ${status}`);
  const limit = pageSize(request.maxResults);
  const cursor = decodeToken(request.nextToken);
  if (cursor && cursor.key !== status) throw new AwsError('InvalidParameterException', 'Invalid token');
  if (status !== 'ACTIVE') return { containerInstanceArns: [] };
  const page = state.listContainerInstances(cluster, status, cursor?.after ?? 0, limit);
  return {
    containerInstanceArns: page.items.map((instance) => instance.arn),
    ...(page.next === undefined ? {} : { nextToken: encodeToken({ key: status, after: page.next }) }),
  };
}

export function describeContainerInstances(state: EcsState, input: Input): unknown {
  const request = parseInput(DescribeContainerInstancesInput, input);
  const cluster = state.cluster(request.cluster);
  checkDescribeList(request.containerInstances, 'containerInstances');
  const tags = wantsTags(request.include);
  const containerInstances: unknown[] = [];
  const failures: unknown[] = [];
  for (const reference of request.containerInstances) {
    const instance = state.findContainerInstance(cluster, reference);
    if (instance) containerInstances.push(renderContainerInstance(instance, wireStamp, tags));
    else {
      const arn = reference.startsWith('arn:')
        ? reference
        : containerInstanceArn(state.scope, cluster.arnFormat, cluster.name, reference);
      failures.push({ arn, reason: 'MISSING' });
    }
  }
  return { containerInstances, failures };
}
