import type { Tag, TaskOverride } from '@aws-sdk/client-ecs';
import { type Random, randomInt } from '../aws/prng';
import { type ArnScope, containerArn, taskArn } from './arns';
import { deepFreeze, frozenCopy } from './frozen';
import { availabilityZone, type IdSource } from './ids';
import type { ClusterRecord, ContainerRecord, InstanceRecord, Reservation, SimLaunchType, TaskDefinitionRecord, TaskRecord } from './model';
import { normaliseCpu, normaliseMemory } from './task-definitions';

const FARGATE_PLATFORM_VERSION = '1.4.0';

export interface LaunchParams {
  readonly taskDefinition: TaskDefinitionRecord;
  readonly launchType: SimLaunchType;
  readonly group?: string;
  readonly startedBy?: string;
  readonly overrides?: TaskOverride;
  readonly tags?: Tag[];
  readonly platformVersion?: string;
  readonly subnet?: string;
}

/** Copies what a launch shares among its tasks once, frozen, instead of once per task. */
export function frozenLaunch(launch: LaunchParams): LaunchParams {
  return {
    ...launch,
    overrides: frozenCopy({ containerOverrides: [], ...launch.overrides }),
    tags: frozenCopy(launch.tags ?? []),
  };
}

/** Builds task records: what a launch reserves, the task itself, and its move to RUNNING. */
export class TaskFactory {
  constructor(
    private readonly scope: ArnScope,
    private readonly ids: IdSource,
    private readonly random: Random,
  ) {}

  /** What a task of this launch books on its container instance. */
  requirement(launch: LaunchParams): Reservation {
    const definition = launch.taskDefinition;
    const overrides = launch.overrides ?? {};
    const containerOverride = (name: string) => overrides.containerOverrides?.find((o) => o.name === name);
    const taskCpu = overrides.cpu ?? definition.cpu;
    const taskMemory = overrides.memory ?? definition.memory;
    const cpu =
      taskCpu !== undefined
        ? Number(normaliseCpu(taskCpu))
        : definition.containers.reduce((sum, c) => sum + (containerOverride(c.name)?.cpu ?? c.cpu), 0);
    const memory =
      taskMemory !== undefined
        ? Number(normaliseMemory(taskMemory))
        : definition.containers.reduce((sum, c) => {
            const o = containerOverride(c.name);
            return sum + (o?.memory ?? o?.memoryReservation ?? c.memory ?? c.memoryReservation ?? 0);
          }, 0);
    const ports: string[] = [];
    const portsUdp: string[] = [];
    if (launch.launchType === 'EC2') {
      for (const container of definition.containers) {
        for (const mapping of container.portMappings) {
          if (mapping.hostPort > 0) (mapping.protocol === 'udp' ? portsUdp : ports).push(String(mapping.hostPort));
        }
      }
    }
    return { cpu, memory, ports, portsUdp };
  }

  /** A new PENDING task, not yet admitted anywhere. */
  build(
    cluster: ClusterRecord,
    launch: LaunchParams,
    need: Reservation,
    instance: InstanceRecord | undefined,
    now: number,
  ): TaskRecord {
    const id = this.ids.taskId();
    const definition = launch.taskDefinition;
    const overrides = launch.overrides ?? {};
    const containers: ContainerRecord[] = definition.containers.map((c) => {
      const o = overrides.containerOverrides?.find((candidate) => candidate.name === c.name);
      const memory = o?.memory ?? c.memory;
      const memoryReservation = o?.memoryReservation ?? c.memoryReservation;
      return {
        arn: containerArn(this.scope, this.ids.uuid()),
        name: c.name,
        image: c.image,
        cpu: String(o?.cpu ?? c.cpu),
        ...(memory === undefined ? {} : { memory: String(memory) }),
        ...(memoryReservation === undefined ? {} : { memoryReservation: String(memoryReservation) }),
        lastStatus: 'PENDING',
      };
    });
    const fargate = launch.launchType === 'FARGATE';
    const cpu = overrides.cpu ?? definition.cpu;
    const memory = overrides.memory ?? definition.memory;
    return {
      id,
      arn: taskArn(this.scope, cluster.arnFormat, cluster.name, id),
      cluster,
      taskDefinition: definition,
      launchType: launch.launchType,
      ...(instance ? { instance } : {}),
      reservation: need,
      ...(cpu === undefined ? {} : { cpu: normaliseCpu(cpu) }),
      ...(memory === undefined ? {} : { memory: normaliseMemory(memory) }),
      group: launch.group ?? `family:${definition.family}`,
      ...(launch.startedBy === undefined ? {} : { startedBy: launch.startedBy }),
      overrides,
      tags: launch.tags ?? [],
      availabilityZone: instance?.availabilityZone ?? availabilityZone(this.scope.region, this.random),
      containers,
      ...(fargate
        ? {
            attachment: {
              id: this.ids.uuid(),
              type: 'eni',
              status: 'PRECREATED',
              details: deepFreeze([
                { name: 'subnetId', value: launch.subnet ?? `subnet-${this.ids.hex(8)}` },
                { name: 'networkInterfaceId', value: `eni-${this.ids.hex(17)}` },
                { name: 'macAddress', value: macAddress(this.ids) },
                { name: 'privateIPv4Address', value: `10.0.${randomInt(this.random, 256)}.${1 + randomInt(this.random, 254)}` },
              ]),
            },
            platformVersion: launch.platformVersion ?? FARGATE_PLATFORM_VERSION,
          }
        : {}),
      createdAt: now,
      connectivityAt: now,
      desiredStatus: 'RUNNING',
      lastStatus: 'PENDING',
      version: 1,
      updatedAt: now,
      indexSlots: [],
    };
  }

  /** Moves a task and its containers to RUNNING, with the timestamps and runtime details that go with it. */
  markRunning(task: TaskRecord, now: number): void {
    const elapsed = now - task.createdAt;
    task.lastStatus = 'RUNNING';
    task.pullStartedAt = task.createdAt + Math.round(elapsed / 4);
    task.pullStoppedAt = task.createdAt + Math.round((elapsed * 3) / 4);
    task.startedAt = now;
    const ip = task.attachment?.details.find((d) => d.name === 'privateIPv4Address')?.value;
    if (task.attachment) task.attachment.status = 'ATTACHED';
    for (const [i, container] of task.containers.entries()) {
      container.lastStatus = 'RUNNING';
      container.runtimeId = this.ids.hex(64);
      container.imageDigest = `sha256:${this.ids.hex(64)}`;
      if (ip !== undefined) container.privateIpv4Address = ip;
      if (task.launchType === 'EC2') {
        const mappings = task.taskDefinition.containers[i]?.portMappings ?? [];
        container.networkBindings = deepFreeze(mappings.map((m) => ({
          bindIP: '0.0.0.0',
          containerPort: m.containerPort,
          hostPort: m.hostPort > 0 ? m.hostPort : 32768 + randomInt(this.random, 28000),
          protocol: m.protocol,
        })));
      }
    }
  }
}

function macAddress(ids: IdSource): string {
  const hex = ids.hex(12);
  return hex.match(/../g)?.join(':') ?? hex;
}
