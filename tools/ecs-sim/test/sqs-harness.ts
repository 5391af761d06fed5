import { SQSClient } from '@aws-sdk/client-sqs';
import { type Simulator, type SimulatorOptions, startSimulator } from '../src';

export interface SqsHarness {
  readonly sim: Simulator;
  readonly sqs: SQSClient;
  close(): Promise<void>;
}

/** The simulator on a free port, its SQS driven by the real AWS SDK client. */
export async function startSqs(options: Omit<SimulatorOptions, 'port'>): Promise<SqsHarness> {
  const sim = await startSimulator({ port: 0, ...options });
  const sqs = new SQSClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    sim,
    sqs,
    async close() {
      sqs.destroy();
      await sim.close();
    },
  };
}
