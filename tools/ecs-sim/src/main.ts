import type { CliOptions } from './server/cli-options';
import { CLI_USAGE, parseCliOptions } from './server/cli-options';
import { startSimulator } from './server/start-simulator';

async function main(): Promise<void> {
  let parsed: CliOptions;
  try {
    parsed = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`ecs-sim: ${error instanceof Error ? error.message : String(error)}\n\n${CLI_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    console.log(CLI_USAGE);
    return;
  }
  const sim = await startSimulator(parsed.simulator);
  console.log(`ecs-sim listening on ${sim.endpoint}`);
  console.log(`  services: sqs${sim.ecs ? ', ecs' : ''}`);
  if (sim.eventQueueUrl) console.log(`  event queue: ${sim.eventQueueUrl}`);
  if (sim.eventStreamArn) console.log(`  event stream: ${sim.eventStreamArn}`);
  console.log(`  admin: ${sim.endpoint}/_sim/health, /_sim/state, /_sim/faults, /_sim/queues`);
  console.log(`  export AWS_ENDPOINT_URL=${sim.endpoint} AWS_REGION=${sim.sqs.region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('ecs-sim: error while closing', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('ecs-sim: failed to start', error);
  process.exit(1);
});
