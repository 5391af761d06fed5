import { eventually } from '@ecs-state/test-support';
import type { Podman } from '../../src/podman';

export interface HealthState {
  Status: string;
  FailingStreak: number;
  Log: { ExitCode: number; Output: string }[] | null;
}

async function inspect(podman: Podman, name: string, format: string): Promise<string> {
  return (await podman.runAsync(['inspect', '--format', format, name])).stdout.trim();
}

export async function health(podman: Podman, name: string): Promise<HealthState> {
  return JSON.parse(await inspect(podman, name, '{{json .State.Health}}')) as HealthState;
}

async function recentLogs(podman: Podman, name: string): Promise<string> {
  const result = await podman.runAsync(['logs', '--tail', '60', name], { check: false });
  return result.stdout + result.stderr;
}

/**
 * Runs the container's HEALTHCHECK now and then (no systemd timer runs it on this machine)
 * until it reports healthy. `mayRestart`: a container that exits and is restarted by its
 * restart policy meanwhile is waited for; otherwise it fails at once.
 */
export async function waitHealthy(podman: Podman, name: string, timeoutMs: number, mayRestart = false): Promise<HealthState> {
  // Unknown until a check has read it: a check that fails before that gives up at once, as an inspect of a missing container should.
  let status = 'unknown';
  let healthStatus = 'unknown';
  try {
    return await eventually(
      `${name} to be healthy`,
      async () => {
        await podman.runAsync(['healthcheck', 'run', name], { check: false });
        const state = await health(podman, name);
        healthStatus = state.Status;
        status = await inspect(podman, name, '{{.State.Status}}');
        return state.Status === 'healthy' ? state : undefined;
      },
      {
        timeoutMs,
        intervalMs: 1000,
        giveUpIf: () => (status !== 'running' && !mayRestart ? `${name} is ${status}` : undefined),
        context: () => `${name} is ${healthStatus} (${status})`,
      },
    );
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await recentLogs(podman, name)}`);
  }
}
