import type { Podman } from '../../src/podman';

export interface HealthState {
  Status: string;
  FailingStreak: number;
  Log: { ExitCode: number; Output: string }[] | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await podman.runAsync(['healthcheck', 'run', name], { check: false });
    const state = await health(podman, name);
    if (state.Status === 'healthy') return state;
    const status = await inspect(podman, name, '{{.State.Status}}');
    if (status !== 'running' && !mayRestart) throw new Error(`${name} is ${status}:\n${await recentLogs(podman, name)}`);
    if (Date.now() > deadline) throw new Error(`${name} is still ${state.Status} (${status}) after ${timeoutMs} ms:\n${await recentLogs(podman, name)}`);
    await sleep(1000);
  }
}
