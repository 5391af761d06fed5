import {
  CreateClusterCommand,
  ECSClient,
  ListTasksCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { canonicalJson, keyForRecord, normalizeStateRecord, type KeyPrefix } from '@ecs-state/domain';
import { ServiceProcess } from '@ecs-state/test-services';
import { PACKED_WEB_TASK_DEFINITION } from '@ecs-state/test-support';
import { CREDENTIALS } from './support';

const REGION = 'us-east-1';

interface GroundTruth {
  tasks: Record<string, unknown>[];
  containerInstances: Record<string, unknown>[];
}

/**
 * The ECS simulator as a process of its own on a fixed port, so that a test can
 * stall it (SIGSTOP: connections are accepted, nothing answers), kill it (SIGKILL:
 * connections are refused) and bring it back where the reconciler expects it.
 */
export class SimulatorProcess {
  private process: ServiceProcess | undefined;
  readonly admin: ECSClient;

  constructor(
    readonly port: number,
    private readonly account: string,
  ) {
    this.admin = new ECSClient({ endpoint: this.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts a fresh simulator (an empty ECS) on the port. */
  async start(): Promise<void> {
    this.process = new ServiceProcess({
      main: 'tools/ecs-sim/src/main.ts',
      readyMessage: `ecs-sim listening on ${this.endpoint}`,
      env: { ECS_SIM_PORT: String(this.port), ECS_SIM_ACCOUNT: this.account, ECS_SIM_REGION: REGION, ECS_SIM_EVENT_QUEUE: 'none' },
    });
    await this.process.start();
  }

  stall(): void {
    this.process?.signal('SIGSTOP');
  }

  resume(): void {
    this.process?.signal('SIGCONT');
  }

  /** SIGKILL; the port refuses connections until start(). */
  async kill(): Promise<void> {
    this.resume();
    await this.process?.kill();
  }

  /** Clusters `c0`…, one container instance and `tasksPerCluster` running tasks each; their ARNs. */
  async populate(clusterCount: number, tasksPerCluster: number): Promise<string[]> {
    await this.admin.send(new RegisterTaskDefinitionCommand({ ...PACKED_WEB_TASK_DEFINITION }));
    const clusters: string[] = [];
    for (let i = 0; i < clusterCount; i++) {
      const out = await this.admin.send(new CreateClusterCommand({ clusterName: `c${i}` }));
      const arn = out.cluster?.clusterArn as string;
      clusters.push(arn);
      await this.admin.send(new RegisterContainerInstanceCommand({ cluster: arn }));
      await this.runTasks(arn, tasksPerCluster);
    }
    return clusters;
  }

  async runTasks(cluster: string, count: number): Promise<void> {
    for (let left = count; left > 0; left -= 10) {
      await this.admin.send(new RunTaskCommand({ cluster, taskDefinition: 'web', count: Math.min(left, 10) }));
    }
  }

  async stopOneTask(cluster: string): Promise<void> {
    const { taskArns } = await this.admin.send(new ListTasksCommand({ cluster, desiredStatus: 'RUNNING' }));
    await this.admin.send(new StopTaskCommand({ cluster, task: taskArns?.[0] as string }));
  }

  /** What a complete reconcile stores for this ECS: key → canonical record, as support's expected(). */
  async expected(prefix: KeyPrefix): Promise<Map<string, string>> {
    const truth = (await (await fetch(`${this.endpoint}/_sim/state`)).json()) as GroundTruth;
    const out = new Map<string, string>();
    for (const [kind, items] of [['task', truth.tasks], ['instance', truth.containerInstances]] as const) {
      for (const item of items) {
        // Ground truth carries tags; events and Describe* without include=TAGS do not.
        const { tags: _tags, ...rest } = item;
        const state = normalizeStateRecord(kind, rest);
        if (!state.ok) throw new Error(state.message);
        const key = keyForRecord(prefix, state.value);
        if (!key.ok) throw new Error(key.message);
        out.set(key.value, canonicalJson(state.value.record));
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.admin.destroy();
    await this.kill();
  }
}
