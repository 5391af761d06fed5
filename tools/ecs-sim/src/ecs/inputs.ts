import { z } from 'zod';
import { AwsError } from '../aws/aws-error';

/** Request shapes of the simulated ECS operations, checked at the edge. */

const tags = z.array(z.object({ key: z.string().optional(), value: z.string().optional() })).max(50).optional();
const include = z.array(z.string()).optional();
const pagination = { nextToken: z.string().optional(), maxResults: z.number().optional() };

const resource = z.object({
  name: z.string(),
  type: z.string().optional(),
  doubleValue: z.number().optional(),
  longValue: z.number().optional(),
  integerValue: z.number().optional(),
  stringSetValue: z.array(z.string()).optional(),
});

const attribute = z.object({
  name: z.string(),
  value: z.string().optional(),
  targetType: z.literal('container-instance').optional(),
  targetId: z.string().optional(),
});

const containerOverride = z
  .object({
    name: z.string().optional(),
    cpu: z.number().int().optional(),
    memory: z.number().int().optional(),
    memoryReservation: z.number().int().optional(),
  })
  .loose();

const taskOverride = z
  .object({
    containerOverrides: z.array(containerOverride).optional(),
    cpu: z.string().optional(),
    memory: z.string().optional(),
  })
  .loose();

const launch = {
  cluster: z.string().optional(),
  taskDefinition: z.string(),
  group: z.string().max(255).optional(),
  startedBy: z.string().max(128).optional(),
  overrides: taskOverride.optional(),
  tags,
  networkConfiguration: z
    .object({ awsvpcConfiguration: z.object({ subnets: z.array(z.string()).optional() }).loose().optional() })
    .optional(),
};

export const CreateClusterInput = z.object({ clusterName: z.string().optional(), tags });
export const ListClustersInput = z.object(pagination);
export const DescribeClustersInput = z.object({ clusters: z.array(z.string()).optional(), include });
export const DeleteClusterInput = z.object({ cluster: z.string() });

export const RegisterContainerInstanceInput = z.object({
  cluster: z.string().optional(),
  instanceIdentityDocument: z.string().optional(),
  totalResources: z.array(resource).optional(),
  versionInfo: z
    .object({ agentVersion: z.string().optional(), agentHash: z.string().optional(), dockerVersion: z.string().optional() })
    .optional(),
  attributes: z.array(attribute).optional(),
  tags,
});
export const DeregisterContainerInstanceInput = z.object({
  cluster: z.string().optional(),
  containerInstance: z.string(),
  force: z.boolean().optional(),
});
export const ListContainerInstancesInput = z.object({
  cluster: z.string().optional(),
  filter: z.string().optional(),
  status: z.string().optional(),
  ...pagination,
});
export const DescribeContainerInstancesInput = z.object({
  cluster: z.string().optional(),
  containerInstances: z.array(z.string()),
  include,
});

export const RegisterTaskDefinitionInput = z
  .object({
    family: z.string(),
    cpu: z.string().optional(),
    memory: z.string().optional(),
    networkMode: z.string().optional(),
    requiresCompatibilities: z.array(z.string()).optional(),
    containerDefinitions: z.array(
      z
        .object({
          name: z.string().optional(),
          image: z.string().optional(),
          cpu: z.number().int().optional(),
          memory: z.number().int().optional(),
          memoryReservation: z.number().int().optional(),
          portMappings: z
            .array(
              z
                .object({ containerPort: z.number().int().optional(), hostPort: z.number().int().optional(), protocol: z.string().optional() })
                .loose(),
            )
            .optional(),
        })
        .loose(),
    ),
    tags,
  })
  .loose();
export const DescribeTaskDefinitionInput = z.object({ taskDefinition: z.string(), include });

export const RunTaskInput = z.object({
  ...launch,
  count: z.number().int().optional(),
  launchType: z.string().optional(),
  capacityProviderStrategy: z.array(z.object({ capacityProvider: z.string() }).loose()).optional(),
  placementStrategy: z.array(z.object({ type: z.string().optional(), field: z.string().optional() })).optional(),
  platformVersion: z.string().optional(),
});
export const StartTaskInput = z.object({ ...launch, containerInstances: z.array(z.string()) });
export const StopTaskInput = z.object({ cluster: z.string().optional(), task: z.string(), reason: z.string().max(1024).optional() });
export const ListTasksInput = z.object({
  cluster: z.string().optional(),
  containerInstance: z.string().optional(),
  family: z.string().optional(),
  startedBy: z.string().optional(),
  serviceName: z.string().optional(),
  desiredStatus: z.string().optional(),
  launchType: z.string().optional(),
  ...pagination,
});
export const DescribeTasksInput = z.object({ cluster: z.string().optional(), tasks: z.array(z.string()), include });

const deploymentConfiguration = z
  .object({
    maximumPercent: z.number().int().optional(),
    minimumHealthyPercent: z.number().int().optional(),
    deploymentCircuitBreaker: z.object({ enable: z.boolean(), rollback: z.boolean() }).optional(),
  })
  .loose();
const networkConfiguration = z.object({
  awsvpcConfiguration: z
    .object({
      subnets: z.array(z.string()),
      securityGroups: z.array(z.string()).optional(),
      assignPublicIp: z.enum(['ENABLED', 'DISABLED']).optional(),
    })
    .optional(),
});
const capacityProviderStrategy = z
  .array(z.object({ capacityProvider: z.string(), weight: z.number().int().optional(), base: z.number().int().optional() }))
  .optional();
const placementStrategy = z.array(z.object({ type: z.string().optional(), field: z.string().optional() })).optional();
const placementConstraints = z
  .array(z.object({ type: z.enum(['distinctInstance', 'memberOf']).optional(), expression: z.string().optional() }))
  .optional();
const loadBalancers = z
  .array(
    z.object({
      targetGroupArn: z.string().optional(),
      loadBalancerName: z.string().optional(),
      containerName: z.string().optional(),
      containerPort: z.number().int().optional(),
    }),
  )
  .optional();
const serviceShape = {
  cluster: z.string().optional(),
  taskDefinition: z.string().optional(),
  desiredCount: z.number().int().optional(),
  capacityProviderStrategy,
  platformVersion: z.string().optional(),
  deploymentConfiguration: deploymentConfiguration.optional(),
  networkConfiguration: networkConfiguration.optional(),
  placementConstraints,
  placementStrategy,
  loadBalancers,
  healthCheckGracePeriodSeconds: z.number().int().optional(),
};

export const CreateServiceInput = z.object({
  ...serviceShape,
  serviceName: z.string(),
  launchType: z.string().optional(),
  schedulingStrategy: z.string().optional(),
  deploymentController: z.object({ type: z.string() }).optional(),
  tags,
});
export const UpdateServiceInput = z.object({ ...serviceShape, service: z.string(), forceNewDeployment: z.boolean().optional() });
export const DeleteServiceInput = z.object({ cluster: z.string().optional(), service: z.string(), force: z.boolean().optional() });
export const ListServicesInput = z.object({
  cluster: z.string().optional(),
  launchType: z.string().optional(),
  schedulingStrategy: z.string().optional(),
  ...pagination,
});
export const DescribeServicesInput = z.object({ cluster: z.string().optional(), services: z.array(z.string()), include });

/** Parses a request, answering a malformed one as ECS does. */
export function parseInput<T>(schema: z.ZodType<T>, input: Record<string, unknown>): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new AwsError('InvalidParameterException', `${where}${issue?.message ?? 'Invalid request'}`);
}
