import { parseArgs } from 'node:util';

export type Command =
  | { name: 'reconcile'; clusters: string[]; wait: boolean; timeoutSeconds: number }
  | { name: 'status'; id: string }
  | { name: 'help' };

export class UsageError extends Error {}

export const USAGE = `Usage:
  ecs-state reconcile [--cluster <name|arn>]... [--wait] [--timeout <seconds>]
      Requests a reconcile of the given clusters (all clusters without --cluster) and
      prints the run id. With --wait, waits for the run and prints its drift report.
  ecs-state status <run-id>
      Prints a run's state and drift report.

Environment:
  REDIS_URL                redis:// or rediss:// URL of the reconciler's Redis (required)
  RECONCILE_QUEUE_PREFIX   queue key prefix, as configured for the reconciler (default ecs-state)`;

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return { name: 'help' };
  if (name === 'reconcile') {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: {
        cluster: { type: 'string', short: 'c', multiple: true },
        wait: { type: 'boolean', short: 'w', default: false },
        timeout: { type: 'string', default: '3600' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const timeoutSeconds = Number(values.timeout);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout must be a whole number of seconds');
    return { name: 'reconcile', clusters: values.cluster ?? [], wait: values.wait ?? false, timeoutSeconds };
  }
  if (name === 'status') {
    const { positionals } = parseArgs({ args: [...rest], options: {}, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('status needs exactly one run id');
    return { name: 'status', id: positionals[0] as string };
  }
  throw new UsageError(`unknown command: ${name}`);
}
