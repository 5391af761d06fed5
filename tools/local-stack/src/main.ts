/**
 * `npm start`: etcd, Redis, the ECS simulator with a demo workload, the ingestor,
 * the reconciler and the api, wired together, with their logs in one terminal.
 * Ctrl-C stops everything. See tools/local-stack/README.md.
 */
import { ConfigError } from '@ecs-state/service-runtime';
import { colorWanted, painter } from './ansi';
import { launcherLinks, watchLauncher } from './launcher-watch';
import { LocalStack } from './stack';
import { loadStackConfig, type StackConfig } from './stack-config';
import { findWorkspaceRoot } from './workspace-root';

// A wrapper (npm, tsx) relays the terminal's Ctrl-C, so one key press can arrive
// two or three times; only a later signal means "stop now".
const REPEATED_SIGNAL_GRACE_MS = 2000;

function loadConfig(): StackConfig {
  try {
    return loadStackConfig(process.env);
  } catch (err) {
    const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
    console.error(`local-stack: ${message}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  // The stack's own SQS call would print the SDK's notice about future Node versions.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stack = new LocalStack({
    config,
    env: process.env,
    workspaceRoot: findWorkspaceRoot(__dirname),
    terminal: process,
    paint: painter(colorWanted(process.stdout)),
  });

  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (firstSignalAt === undefined) {
      firstSignalAt = now;
      stack.requestStop(signal);
    } else if (now - firstSignalAt > REPEATED_SIGNAL_GRACE_MS) {
      console.error(`local-stack: ${signal} again: killing every service now`);
      stack.killAll();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // A signal sent to npm alone may never reach this process (`sh -c` keeps a SIGINT
  // until its child exits; a SIGKILL is not passed on at all): the end of a process
  // that launched the stack stops it too.
  watchLauncher(launcherLinks(), (gone) => stack.requestStop(`the process that started the stack (pid ${gone.parent}) has ended`));
  // A closed terminal must not end this process halfway through stopping the services.
  // Should it end anyway, even by SIGKILL, each service's leash stops that service.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  process.exit(await stack.run());
}

main().catch((err: unknown) => {
  console.error(`local-stack: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
