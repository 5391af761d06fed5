/**
 * JSON schemas of the v1 models (from the original's Swagger 2.0 document)
 * plus this service's additions. They drive the OpenAPI document; objects
 * allow additional properties, as the originals did.
 */
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;

export const SHARED_SCHEMAS = [
  {
    $id: 'Metadata',
    type: 'object',
    required: ['entityVersion'],
    properties: {
      entityVersion: { type: 'string', description: 'The etcd mod revision of the stored record (the revision of the delete, for tombstones).' },
      deleted: { type: 'boolean', description: 'Present and true on tombstones (streams with tombstones=true).' },
    },
  },
  { $id: 'TaskEnvironment', type: 'object', required: ['name', 'value'], properties: { name: str, value: str } },
  {
    $id: 'TaskContainerOverride',
    type: 'object',
    required: ['name'],
    properties: { command: { type: 'array', items: str }, environment: { type: 'array', items: { $ref: 'TaskEnvironment#' } }, name: str },
  },
  {
    $id: 'TaskOverride',
    type: 'object',
    required: ['containerOverrides'],
    properties: { containerOverrides: { type: 'array', items: { $ref: 'TaskContainerOverride#' } }, taskRoleArn: str },
  },
  {
    $id: 'TaskNetworkBinding',
    type: 'object',
    required: ['bindIP', 'containerPort', 'hostPort'],
    properties: { bindIP: str, containerPort: int, hostPort: int, protocol: str },
  },
  {
    $id: 'TaskContainer',
    type: 'object',
    required: ['containerARN', 'lastStatus', 'name'],
    properties: {
      containerARN: str,
      exitCode: int,
      lastStatus: str,
      name: str,
      networkBindings: { type: 'array', items: { $ref: 'TaskNetworkBinding#' } },
      reason: str,
    },
  },
  {
    $id: 'TaskDetail',
    type: 'object',
    description: 'An ECS task. Besides the v1 fields, every other property ECS reports (launchType, group, attachments, …) is included.',
    required: ['clusterARN', 'containerInstanceARN', 'containers', 'createdAt', 'desiredStatus', 'lastStatus', 'overrides', 'taskARN', 'taskDefinitionARN'],
    properties: {
      clusterARN: str,
      containerInstanceARN: { type: 'string', description: 'Empty for tasks without a container instance (Fargate).' },
      containers: { type: 'array', items: { $ref: 'TaskContainer#' } },
      createdAt: str,
      desiredStatus: str,
      lastStatus: str,
      overrides: { $ref: 'TaskOverride#' },
      startedAt: str,
      startedBy: str,
      stoppedAt: str,
      stoppedReason: str,
      taskARN: str,
      taskDefinitionARN: str,
      launchType: str,
      group: str,
      version: int,
    },
  },
  { $id: 'Task', type: 'object', properties: { metadata: { $ref: 'Metadata#' }, entity: { $ref: 'TaskDetail#' } } },
  {
    $id: 'Tasks',
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: { $ref: 'Task#' } },
      revision: { type: 'string', description: 'The etcd revision this list reflects; stream with afterRevision=<revision> to follow on without gap.' },
      nextToken: { type: 'string', description: 'Present when more items follow; pass it back as nextToken with the same filters.' },
    },
  },
  { $id: 'ContainerInstanceAttribute', type: 'object', required: ['name', 'value'], properties: { name: str, value: str } },
  {
    $id: 'ContainerInstanceResource',
    type: 'object',
    required: ['name', 'type', 'value'],
    properties: { name: str, type: str, value: { type: 'string', description: 'The typed value (integerValue, stringSetValue, …) as a string; the typed fields are kept too.' } },
  },
  { $id: 'ContainerInstanceVersionInfo', type: 'object', properties: { agentHash: str, agentVersion: str, dockerVersion: str } },
  {
    $id: 'ContainerInstanceDetail',
    type: 'object',
    required: ['agentConnected', 'clusterARN', 'containerInstanceARN', 'registeredResources', 'remainingResources', 'status', 'versionInfo'],
    properties: {
      agentConnected: { type: 'boolean' },
      agentUpdateStatus: str,
      attributes: { type: 'array', items: { $ref: 'ContainerInstanceAttribute#' } },
      clusterARN: str,
      containerInstanceARN: str,
      EC2InstanceID: str,
      registeredResources: { type: 'array', items: { $ref: 'ContainerInstanceResource#' } },
      remainingResources: { type: 'array', items: { $ref: 'ContainerInstanceResource#' } },
      status: str,
      versionInfo: { $ref: 'ContainerInstanceVersionInfo#' },
      version: int,
    },
  },
  { $id: 'ContainerInstance', type: 'object', properties: { metadata: { $ref: 'Metadata#' }, entity: { $ref: 'ContainerInstanceDetail#' } } },
  {
    $id: 'ContainerInstances',
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: { $ref: 'ContainerInstance#' } },
      revision: { type: 'string', description: 'The etcd revision this list reflects.' },
      nextToken: { type: 'string', description: 'Present when more items follow.' },
    },
  },
  {
    $id: 'ServiceDeployment',
    type: 'object',
    description:
      'A deployment of the service, as DescribeServices reports it (every other property ECS reports is included). One that started after the last ' +
      'DescribeServices the reconciler made is known from its `ECS Deployment State Change` events only: `id`, `rolloutState`, `rolloutStateReason`, `updatedAt`.',
    required: ['id', 'updatedAt'],
    properties: {
      id: str,
      status: { type: 'string', description: 'PRIMARY (the newest), ACTIVE (being replaced) or INACTIVE; absent for a deployment known only from its events' },
      rolloutState: { type: 'string', description: 'IN_PROGRESS, COMPLETED or FAILED' },
      rolloutStateReason: str,
      taskDefinition: str,
      desiredCount: int,
      runningCount: int,
      pendingCount: int,
      failedTasks: int,
      createdAt: str,
      updatedAt: str,
    },
  },
  {
    $id: 'ServiceEvent',
    type: 'object',
    description: 'One `ECS Service Action` or `ECS Deployment State Change` event of the service.',
    required: ['eventId', 'eventName', 'eventType', 'time'],
    properties: {
      eventId: str,
      eventName: { type: 'string', description: 'e.g. SERVICE_STEADY_STATE, SERVICE_TASK_PLACEMENT_FAILURE, SERVICE_DEPLOYMENT_FAILED' },
      eventType: { type: 'string', description: 'INFO, WARN or ERROR' },
      reason: str,
      deploymentId: { type: 'string', description: 'Set on deployment state changes' },
      capacityProviderArns: { type: 'array', items: str },
      containerInstanceArns: { type: 'array', items: str },
      time: str,
    },
  },
  {
    $id: 'ServiceDetail',
    type: 'object',
    description:
      'An ECS service in the field names of DescribeServices, except the ARNs, spelled `serviceARN` and `clusterARN` as in the other entities, and ' +
      '`events`, which are the last service events EventBridge delivered rather than ECS\'s messages. Besides the fields listed, every other property ' +
      'ECS reports is included. A service known only from its events (not yet described by the reconciler) has its identity, `deployments` and `events` only.',
    required: ['serviceARN', 'serviceName', 'clusterARN', 'deployments', 'events'],
    properties: {
      serviceARN: str,
      serviceName: str,
      clusterARN: str,
      status: { type: 'string', description: 'ACTIVE, DRAINING or INACTIVE' },
      desiredCount: int,
      runningCount: int,
      pendingCount: int,
      launchType: str,
      capacityProviderStrategy: { type: 'array', items: { type: 'object' } },
      taskDefinition: str,
      deploymentConfiguration: { type: 'object', description: 'deploymentCircuitBreaker { enable, rollback }, minimumHealthyPercent, maximumPercent' },
      loadBalancers: { type: 'array', items: { type: 'object' } },
      placementConstraints: { type: 'array', items: { type: 'object' } },
      placementStrategy: { type: 'array', items: { type: 'object' } },
      createdAt: str,
      deployments: { type: 'array', items: { $ref: 'ServiceDeployment#' } },
      events: { type: 'array', items: { $ref: 'ServiceEvent#' }, description: 'The last service events, newest first.' },
      describedAt: { type: 'string', description: 'When the DescribeServices answer the service-level fields come from was taken' },
    },
  },
  { $id: 'Service', type: 'object', properties: { metadata: { $ref: 'Metadata#' }, entity: { $ref: 'ServiceDetail#' } } },
  {
    $id: 'Services',
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: { $ref: 'Service#' } },
      revision: { type: 'string', description: 'The etcd revision this list reflects.' },
      nextToken: { type: 'string', description: 'Present when more items follow.' },
    },
  },
] as const;

/** A plain-text error, as the original wrote them. */
export function textError(description: string) {
  return { description, content: { 'text/plain': { schema: { type: 'string' } } } } as const;
}

/** The answer of every route that needs a token, when API_TOKENS is set and the request has none that matches. */
export const unauthorizedResponse = textError('Missing or invalid bearer token (only when the server has API_TOKENS)');

export const REVISION_HEADER = 'x-store-revision';

export const revisionHeaders = {
  [REVISION_HEADER]: { type: 'string', description: 'The etcd revision the response reflects.' },
} as const;
