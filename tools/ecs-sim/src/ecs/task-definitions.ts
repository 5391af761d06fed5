import { AwsError } from '../aws/aws-error';
import { type ArnScope, parseTaskDefinitionReference, taskDefinitionArn } from './arns';
import type { ContainerDefinitionRecord, TaskDefinitionRecord } from './model';

export interface ContainerDefinitionInput {
  name?: string;
  image?: string;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string }[];
}

export interface TaskDefinitionInput {
  family: string;
  cpu?: string;
  memory?: string;
  networkMode?: string;
  requiresCompatibilities?: string[];
  containerDefinitions: ContainerDefinitionInput[];
  /** The whole request, echoed back by DescribeTaskDefinition. */
  raw: Record<string, unknown>;
}

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

/** `1 vCPU` -> `1024`, `512` -> `512`, as ECS normalises task-level CPU on registration. */
export function normaliseCpu(value: string): string {
  const vcpu = /^\s*([\d.]+)\s*vcpu\s*$/i.exec(value);
  if (vcpu?.[1]) return String(Math.round(Number(vcpu[1]) * 1024));
  if (/^\s*\d+\s*$/.test(value)) return value.trim();
  throw new AwsError('ClientException', `Invalid 'cpu' setting for task definition: ${value}`);
}

/** `1GB` -> `1024`, `512` -> `512` (MiB). */
export function normaliseMemory(value: string): string {
  const gb = /^\s*([\d.]+)\s*gb\s*$/i.exec(value);
  if (gb?.[1]) return String(Math.round(Number(gb[1]) * 1024));
  if (/^\s*\d+\s*$/.test(value)) return value.trim();
  throw new AwsError('ClientException', `Invalid 'memory' setting for task definition: ${value}`);
}

function containerRecord(input: ContainerDefinitionInput, networkMode: string, taskMemory: string | undefined): ContainerDefinitionRecord {
  if (!input.name) throw new AwsError('ClientException', 'Container.name should not be null or empty.');
  if (!input.image) throw new AwsError('ClientException', 'Container.image should not be null or empty.');
  if (taskMemory === undefined && input.memory === undefined && input.memoryReservation === undefined) {
    throw new AwsError(
      'ClientException',
      `Invalid setting for container '${input.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
    );
  }
  const portMappings = (input.portMappings ?? []).map((mapping) => {
    const containerPort = mapping.containerPort ?? 0;
    const hostPort = networkMode === 'host' || networkMode === 'awsvpc' ? containerPort : (mapping.hostPort ?? 0);
    return { containerPort, hostPort, protocol: mapping.protocol === 'udp' ? ('udp' as const) : ('tcp' as const) };
  });
  return {
    name: input.name,
    image: input.image,
    cpu: input.cpu ?? 0,
    ...(input.memory === undefined ? {} : { memory: input.memory }),
    ...(input.memoryReservation === undefined ? {} : { memoryReservation: input.memoryReservation }),
    portMappings,
  };
}

/** Registered task definitions by family, every revision kept ACTIVE. */
export class TaskDefinitionRegistry {
  private readonly families = new Map<string, TaskDefinitionRecord[]>();

  constructor(
    private readonly scope: ArnScope,
    private readonly now: () => number,
  ) {}

  register(input: TaskDefinitionInput): TaskDefinitionRecord {
    if (!FAMILY.test(input.family)) {
      throw new AwsError('ClientException', 'Family contains invalid characters or is longer than 255 characters.');
    }
    if (input.containerDefinitions.length === 0) {
      throw new AwsError('ClientException', 'Container list cannot be empty.');
    }
    const cpu = input.cpu === undefined ? undefined : normaliseCpu(input.cpu);
    const memory = input.memory === undefined ? undefined : normaliseMemory(input.memory);
    const networkMode = input.networkMode ?? 'bridge';
    const containers = input.containerDefinitions.map((c) => containerRecord(c, networkMode, memory));
    const revisions = this.families.get(input.family) ?? [];
    const revision = revisions.length + 1;
    const record: TaskDefinitionRecord = {
      arn: taskDefinitionArn(this.scope, input.family, revision),
      family: input.family,
      revision,
      ...(cpu === undefined ? {} : { cpu }),
      ...(memory === undefined ? {} : { memory }),
      networkMode,
      requiresCompatibilities: input.requiresCompatibilities ?? [],
      containers,
      registeredAt: this.now(),
      definition: input.raw,
    };
    revisions.push(record);
    this.families.set(input.family, revisions);
    return record;
  }

  /** `family`, `family:revision` or a task definition ARN. */
  resolve(reference: string): TaskDefinitionRecord {
    const parsed = parseTaskDefinitionReference(this.scope, reference);
    const revisions = parsed ? this.families.get(parsed.family) : undefined;
    const found =
      parsed && revisions
        ? parsed.revision === undefined
          ? revisions[revisions.length - 1]
          : revisions[parsed.revision - 1]
        : undefined;
    if (!found) throw new AwsError('ClientException', 'Unable to describe task definition.');
    return found;
  }

  /** Compatibilities as ECS derives them: FARGATE needs awsvpc and task-level cpu and memory. */
  static compatibilities(definition: TaskDefinitionRecord): string[] {
    const fargate = definition.networkMode === 'awsvpc' && definition.cpu !== undefined && definition.memory !== undefined;
    return fargate ? ['EC2', 'FARGATE'] : ['EC2'];
  }
}
