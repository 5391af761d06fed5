import { Podman } from '../../src/podman';
import { health, waitHealthy, type HealthState } from './health';

export type { HealthState } from './health';

/** Label on every container a test starts: the pid of the jest worker that owns it. */
const OWNER_LABEL = 'ecs-state.images-test.owner';

export interface RunOptions {
  /** Short name: the container is `ecs-state-test-<pid>-<name>`. */
  name: string;
  image: string;
  env: Record<string, string>;
  stopTimeoutSeconds: number;
  readOnly: boolean;
  tmpfs?: string[];
  args?: string[];
}

export interface StopOutcome {
  seconds: number;
  exitCode: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The containers of one test file, all on the host's network (so they reach etcd, Redis and
 * the simulator on loopback). Every one is removed by `removeAll`, and containers left by an
 * earlier run whose process died are removed when the next run starts.
 */
export class TestContainers {
  readonly podman = new Podman();
  private readonly started = new Set<string>();

  async removeLeftovers(): Promise<void> {
    const listed = (await this.podman.runAsync(['ps', '-a', '--filter', `label=${OWNER_LABEL}`, '--format', `{{.Names}} {{index .Labels "${OWNER_LABEL}"}}`])).stdout;
    for (const line of listed.split('\n')) {
      const [name, owner] = line.trim().split(' ');
      if (name && owner && !alive(Number(owner))) await this.podman.runAsync(['rm', '--force', '--time', '0', name], { check: false });
    }
  }

  async run(options: RunOptions): Promise<string> {
    const name = `ecs-state-test-${process.pid}-${options.name}`;
    this.started.add(name);
    const args = [
      'run',
      '--detach',
      '--name',
      name,
      '--label',
      `${OWNER_LABEL}=${process.pid}`,
      '--network=host',
      '--stop-timeout',
      String(options.stopTimeoutSeconds),
      // As ECS's ReadonlyRootFilesystem: no writable /tmp or /run unless the template mounts one.
      ...(options.readOnly ? ['--read-only', '--read-only-tmpfs=false'] : []),
      ...(options.tmpfs ?? []).flatMap((path) => ['--tmpfs', path]),
      ...Object.entries(options.env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
      options.image,
      ...(options.args ?? []),
    ];
    await this.podman.runAsync(args);
    return name;
  }

  /** Runs the image's HEALTHCHECK now and then (no systemd timer runs it here) until it is healthy. */
  waitHealthy(name: string, timeoutMs: number): Promise<HealthState> {
    return waitHealthy(this.podman, name, timeoutMs);
  }

  health(name: string): Promise<HealthState> {
    return health(this.podman, name);
  }

  async inspect(name: string, format: string): Promise<string> {
    return (await this.podman.runAsync(['inspect', '--format', format, name])).stdout.trim();
  }

  /** Runs a command in the container as its own user; resolves with its status and output. */
  async exec(name: string, command: string[]): Promise<{ status: number; output: string }> {
    const result = await this.podman.runAsync(['exec', name, ...command], { check: false });
    return { status: result.status, output: result.stdout + result.stderr };
  }

  async logs(name: string): Promise<string> {
    const result = await this.podman.runAsync(['logs', '--tail', '60', name], { check: false });
    return result.stdout + result.stderr;
  }

  /** `podman stop` as an orchestrator stops a task: SIGTERM, then SIGKILL after the stop timeout. */
  async stop(name: string): Promise<StopOutcome> {
    const started = Date.now();
    await this.podman.runAsync(['stop', name], { timeoutMs: 180_000 });
    const seconds = (Date.now() - started) / 1000;
    return { seconds, exitCode: Number(await this.inspect(name, '{{.State.ExitCode}}')) };
  }

  async removeAll(): Promise<void> {
    await Promise.all([...this.started].map((name) => this.podman.runAsync(['rm', '--force', '--time', '0', name], { check: false })));
    this.started.clear();
  }
}
