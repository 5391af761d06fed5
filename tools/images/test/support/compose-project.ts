import { spawn } from 'node:child_process';
import { COMPOSE_OVERRIDE } from '../../src/compose-stand-ins';
import type { CommandResult, Podman } from '../../src/podman';
import { WORKSPACE_ROOT } from '../../src/workspace';

const PROJECT_LABEL = 'io.podman.compose.project';
const PROJECT_PREFIX = 'ecs-state-test-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * docker-compose.yml under podman-compose, as a project of its own (`ecs-state-test-<pid>`):
 * its containers, volumes and network are removed by `down`, and those of a run whose
 * process died are removed when the next one starts.
 */
export class ComposeProject {
  readonly name = `${PROJECT_PREFIX}${process.pid}`;

  constructor(
    private readonly podman: Podman,
    /** Variables docker-compose.yml reads (ports, workload). */
    private readonly variables: Record<string, string>,
  ) {}

  /** The container of a service (podman-compose names them `<project>_<service>_1`). */
  container(service: string): string {
    return `${this.name}_${service}_1`;
  }

  compose(args: string[], timeoutMs = 300_000): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('podman-compose', ['-p', this.name, '-f', 'docker-compose.yml', '-f', COMPOSE_OVERRIDE, ...args], {
        cwd: WORKSPACE_ROOT,
        env: { ...this.podman.env, ...this.variables },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: timeoutMs,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        const result = { status: code ?? 1, stdout, stderr };
        if (code === 0) resolve(result);
        else reject(new Error(`podman-compose ${args.join(' ')} exited with ${code}:\n${stderr || stdout}`));
      });
    });
  }

  up(): Promise<CommandResult> {
    return this.compose(['up', '-d']);
  }

  async down(): Promise<void> {
    await this.compose(['down', '--volumes'], 180_000).catch(() => undefined);
    await removeProject(this.podman, this.name);
  }

  static async removeLeftovers(podman: Podman): Promise<void> {
    const listed = (await podman.runAsync(['ps', '-a', '--filter', `label=${PROJECT_LABEL}`, '--format', `{{index .Labels "${PROJECT_LABEL}"}}`])).stdout;
    const projects = new Set(listed.split('\n').map((line) => line.trim()).filter((project) => project.startsWith(PROJECT_PREFIX)));
    for (const project of projects) {
      if (!alive(Number(project.slice(PROJECT_PREFIX.length)))) await removeProject(podman, project);
    }
  }
}

/** Whatever of a project is left: containers, then its named volumes and network. */
async function removeProject(podman: Podman, project: string): Promise<void> {
  const containers = (await podman.runAsync(['ps', '-a', '--filter', `label=${PROJECT_LABEL}=${project}`, '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean);
  if (containers.length > 0) await podman.runAsync(['rm', '--force', '--time', '0', ...containers], { check: false });
  const volumes = (await podman.runAsync(['volume', 'ls', '--format', '{{.Name}}'])).stdout.split('\n').filter((volume) => volume.startsWith(`${project}_`));
  if (volumes.length > 0) await podman.runAsync(['volume', 'rm', '--force', ...volumes], { check: false });
  await podman.runAsync(['network', 'rm', '--force', `${project}_default`], { check: false });
}
