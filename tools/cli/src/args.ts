import { parseArgs } from 'node:util';
import { UsageError } from './usage-error';

/** Where the API is and the token to show it, as given on the command line. */
export interface ApiFlags {
  url: string | undefined;
  token: string | undefined;
}

export type Command =
  | { name: 'reconcile'; clusters: string[]; wait: boolean; timeoutSeconds: number; api: ApiFlags }
  | { name: 'status'; id: string; api: ApiFlags }
  | { name: 'help' };

export const DEFAULT_WAIT_SECONDS = 3600;

export const USAGE = `Usage:
  ecs-state reconcile [--cluster <name|arn>]... [--wait [--timeout <seconds>]] [API options]
      Requests a reconcile of the given clusters (every cluster without --cluster) and
      prints the run id. With --wait, shows progress on stderr until the run finishes
      (at most --timeout seconds, default ${DEFAULT_WAIT_SECONDS}) and prints the run with its drift report.
  ecs-state status <run-id> [API options]
      Prints a run's state, progress and drift report.
  ecs-state help
      Prints this text.

API options:
  --api-url <url>   the cluster state service's REST API
                    (default: $ECS_STATE_API_URL, else http://127.0.0.1:3000)
  --token <token>   bearer token, one of the API's API_TOKENS (default: $ECS_STATE_API_TOKEN;
                    prefer the variable: arguments are visible to other users of the machine)

Exit status: 0 success; 1 the run failed, a cluster in it failed or is not known, or no
such run; 2 usage or configuration error, or a request the API rejected as invalid;
3 --wait timed out (the run goes on); 4 the API could not be reached, refused the token,
or failed.`;

const API_OPTIONS = {
  'api-url': { type: 'string' },
  token: { type: 'string' },
} as const;

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || argv.includes('--help') || argv.includes('-h')) return { name: 'help' };
  try {
    return parseNamed(name, rest);
  } catch (err) {
    // parseArgs's errors (unknown option, missing value) carry codes ERR_PARSE_ARGS_*.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError((err as Error).message);
    throw err;
  }
}

function parseNamed(name: string, rest: string[]): Command {
  if (name === 'reconcile') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        cluster: { type: 'string', short: 'c', multiple: true },
        wait: { type: 'boolean', short: 'w', default: false },
        timeout: { type: 'string' },
        ...API_OPTIONS,
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const wait = values.wait ?? false;
    if (values.timeout !== undefined && !wait) throw new UsageError('--timeout only applies with --wait');
    const timeoutSeconds = values.timeout === undefined ? DEFAULT_WAIT_SECONDS : Number(values.timeout);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout must be a whole number of seconds');
    return { name: 'reconcile', clusters: values.cluster ?? [], wait, timeoutSeconds, api: { url: values['api-url'], token: values.token } };
  }
  if (name === 'status') {
    const { values, positionals } = parseArgs({ args: rest, options: API_OPTIONS, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new UsageError('status needs exactly one run id');
    return { name: 'status', id: positionals[0] as string, api: { url: values['api-url'], token: values.token } };
  }
  throw new UsageError(`unknown command: ${name}`);
}
