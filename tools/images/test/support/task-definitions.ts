import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Tags } from 'yaml';
import { WORKSPACE_ROOT } from '../../src/workspace';

/** How the CloudFormation template runs one service's container. */
export interface TemplateContainer {
  name: string;
  readonlyRootFilesystem: boolean;
  stopTimeoutSeconds: number;
  /** Mount points of tmpfs volumes (LinuxParameters.Tmpfs), if the template gives any. */
  tmpfs: string[];
  healthCheckCommand: string[];
  /** Environment entries whose value is a literal (not a reference to a parameter). */
  literalEnvironment: Record<string, string>;
}

// Intrinsic functions become opaque objects: only literal values matter here.
const intrinsic = (tag: string) => ({ tag, resolve: () => ({ intrinsic: tag }) });
const collection = (tag: string) => ({ tag, collection: 'seq' as const, resolve: () => ({ intrinsic: tag }) });
const TAGS: Tags = [
  ...['!Ref', '!Sub', '!GetAtt', '!ImportValue', '!Base64', '!Condition'].map(intrinsic),
  ...['If', 'Equals', 'Not', 'And', 'Or', 'Join', 'Select', 'Split', 'Sub', 'FindInMap', 'GetAZs', 'Cidr', 'GetAtt'].map((name) => collection(`!${name}`)),
];

interface ContainerDefinition {
  Name: string;
  ReadonlyRootFilesystem?: boolean;
  StopTimeout?: number;
  HealthCheck?: { Command: string[] };
  Environment?: { Name: string; Value: unknown }[];
  LinuxParameters?: { Tmpfs?: { ContainerPath: string }[] };
}

export function templateContainers(): Map<string, TemplateContainer> {
  const template = parse(readFileSync(join(WORKSPACE_ROOT, 'deploy/cloudformation/ecs-cluster-state.yaml'), 'utf8'), { customTags: TAGS }) as {
    Resources: Record<string, { Type: string; Properties?: { ContainerDefinitions?: ContainerDefinition[] } }>;
  };
  const containers = new Map<string, TemplateContainer>();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::ECS::TaskDefinition') continue;
    for (const definition of resource.Properties?.ContainerDefinitions ?? []) {
      containers.set(definition.Name, {
        name: definition.Name,
        readonlyRootFilesystem: definition.ReadonlyRootFilesystem === true,
        // ECS's default when a container definition names none.
        stopTimeoutSeconds: definition.StopTimeout ?? 30,
        tmpfs: (definition.LinuxParameters?.Tmpfs ?? []).map((mount) => mount.ContainerPath),
        healthCheckCommand: definition.HealthCheck?.Command ?? [],
        literalEnvironment: Object.fromEntries(
          (definition.Environment ?? []).filter((entry): entry is { Name: string; Value: string } => typeof entry.Value === 'string').map((entry) => [entry.Name, entry.Value]),
        ),
      });
    }
  }
  return containers;
}
