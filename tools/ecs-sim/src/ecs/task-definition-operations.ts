import { wantsTags } from './describe-limits';
import type { EcsState } from './ecs-state';
import { DescribeTaskDefinitionInput, parseInput, RegisterTaskDefinitionInput } from './inputs';
import type { TaskDefinitionRecord } from './model';
import { TaskDefinitionRegistry } from './task-definitions';

type Input = Record<string, unknown>;

/** A TaskDefinition as ECS answers it: the request with ECS's defaults and bookkeeping filled in. */
function renderTaskDefinition(definition: TaskDefinitionRecord): Record<string, unknown> {
  const raw = structuredClone(definition.definition);
  delete raw.tags;
  const containerDefinitions = (raw.containerDefinitions as Record<string, unknown>[]).map((container, i) => ({
    cpu: 0,
    essential: true,
    environment: [],
    mountPoints: [],
    volumesFrom: [],
    ...container,
    portMappings: (definition.containers[i]?.portMappings ?? []).map((m) => ({ ...m })),
  }));
  return {
    ...raw,
    taskDefinitionArn: definition.arn,
    containerDefinitions,
    family: definition.family,
    networkMode: definition.networkMode,
    revision: definition.revision,
    volumes: [],
    status: 'ACTIVE',
    requiresAttributes: [],
    placementConstraints: [],
    compatibilities: TaskDefinitionRegistry.compatibilities(definition),
    requiresCompatibilities: definition.requiresCompatibilities,
    ...(definition.cpu === undefined ? {} : { cpu: definition.cpu }),
    ...(definition.memory === undefined ? {} : { memory: definition.memory }),
    registeredAt: definition.registeredAt / 1000,
  };
}

function tagsOf(definition: TaskDefinitionRecord): unknown {
  return definition.definition.tags ?? [];
}

export function registerTaskDefinition(state: EcsState, input: Input): unknown {
  const request = parseInput(RegisterTaskDefinitionInput, input);
  const definition = state.taskDefinitions.register({
    family: request.family,
    ...(request.cpu === undefined ? {} : { cpu: request.cpu }),
    ...(request.memory === undefined ? {} : { memory: request.memory }),
    ...(request.networkMode === undefined ? {} : { networkMode: request.networkMode }),
    ...(request.requiresCompatibilities === undefined ? {} : { requiresCompatibilities: request.requiresCompatibilities }),
    containerDefinitions: request.containerDefinitions,
    raw: input,
  });
  return { taskDefinition: renderTaskDefinition(definition), tags: tagsOf(definition) };
}

export function describeTaskDefinition(state: EcsState, input: Input): unknown {
  const request = parseInput(DescribeTaskDefinitionInput, input);
  const definition = state.taskDefinitions.resolve(request.taskDefinition);
  return {
    taskDefinition: renderTaskDefinition(definition),
    ...(wantsTags(request.include) ? { tags: tagsOf(definition) } : {}),
  };
}
