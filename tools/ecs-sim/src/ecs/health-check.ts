import type { TaskDefinitionRecord } from './model';

/** A container health check that can only fail (see failsHealthCheck): what a test puts on a revision meant to fail its rollout. */
export const FAILING_HEALTH_CHECK: { readonly command: string[] } = { command: ['CMD-SHELL', 'exit 1'] };

/**
 * Nothing runs inside a simulated container, so a container health check cannot be
 * executed; instead its command decides. A container whose `healthCheck.command` can
 * only fail — `["CMD-SHELL", "exit <n>"]` with n ≠ 0, or `["CMD-SHELL", "false"]` /
 * `["CMD", "false"]` — makes every task of the definition fail its health checks once
 * RUNNING. Any other command, or none, is healthy. This lets a test roll out a broken
 * revision with nothing but an ordinary RegisterTaskDefinition call.
 */
export function failsHealthCheck(definition: TaskDefinitionRecord): boolean {
  const containers = definition.definition.containerDefinitions;
  if (!Array.isArray(containers)) return false;
  return containers.some((container: unknown) => alwaysFails(commandOf(container)));
}

function commandOf(container: unknown): unknown {
  if (typeof container !== 'object' || container === null || !('healthCheck' in container)) return undefined;
  const check = container.healthCheck;
  return typeof check === 'object' && check !== null && 'command' in check ? check.command : undefined;
}

function alwaysFails(command: unknown): boolean {
  if (!Array.isArray(command) || command.length !== 2) return false;
  const [kind, body] = command as unknown[];
  if (typeof body !== 'string') return false;
  const script = body.trim();
  if (kind === 'CMD') return script === 'false';
  if (kind !== 'CMD-SHELL') return false;
  const exit = /^exit\s+(\d+)$/.exec(script);
  return script === 'false' || (exit !== null && Number(exit[1]) !== 0);
}
