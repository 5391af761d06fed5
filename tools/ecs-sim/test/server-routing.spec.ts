import {
  ClusterNotFoundException,
  ECSClient,
  ECSServiceException,
  InvalidParameterException,
  ListClustersCommand,
  ServerException,
} from '@aws-sdk/client-ecs';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SimulatedService } from '../src';
import { AwsError, FaultController, SimulatorServer, SqsEngine, SqsService, startSimulator } from '../src';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * A minimal service behind the ECS target prefix: the point here is how the server
 * routes calls and puts errors on the wire, not ECS behaviour.
 */
function ecsStub(received: { operation: string; input: unknown }[]): SimulatedService {
  return {
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    contentType: 'application/x-amz-json-1.1',
    async handle(operation, input) {
      if (operation !== 'ListClusters') throw new AwsError('UnknownOperationException', `Unknown ${operation}`);
      received.push({ operation, input });
      const kind = (input as { nextToken?: string }).nextToken;
      if (kind === 'missing') throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
      if (kind === 'invalid') throw new AwsError('InvalidParameterException', 'bad token');
      if (kind === 'broken') throw new AwsError('ServerException', 'boom', 500);
      if (kind === 'crash') throw new Error('unexpected');
      return { clusterArns: ['arn:aws:ecs:us-east-1:000000000000:cluster/default'] };
    },
  };
}

describe('SimulatorServer routing', () => {
  const received: { operation: string; input: unknown }[] = [];
  const internalErrors: unknown[] = [];
  let server: SimulatorServer;
  let endpoint: string;
  let ecs: ECSClient;

  beforeAll(async () => {
    server = new SimulatorServer({ port: 0, faults: new FaultController(), onInternalError: (e) => internalErrors.push(e) });
    server.register('sqs', new SqsService(new SqsEngine()));
    server.register('ecs', ecsStub(received));
    const { port } = await server.listen();
    endpoint = `http://127.0.0.1:${port}`;
    ecs = new ECSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    ecs.destroy();
    await server.close();
  });

  it('routes awsJson1.1 calls by X-Amz-Target to the registered service', async () => {
    const result = await ecs.send(new ListClustersCommand({ maxResults: 5 }));
    expect(result.clusterArns).toEqual(['arn:aws:ecs:us-east-1:000000000000:cluster/default']);
    expect(received.at(-1)).toEqual({ operation: 'ListClusters', input: { maxResults: 5 } });
  });

  it('puts AwsErrors on the wire so that the SDK raises its modelled exception classes', async () => {
    await expect(ecs.send(new ListClustersCommand({ nextToken: 'missing' }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
    const invalid = await ecs.send(new ListClustersCommand({ nextToken: 'invalid' })).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidParameterException);
    expect((invalid as InvalidParameterException).message).toBe('bad token');
    const server500 = await ecs.send(new ListClustersCommand({ nextToken: 'broken' })).catch((e: unknown) => e);
    expect(server500).toBeInstanceOf(ServerException);
    expect((server500 as ServerException).$metadata.httpStatusCode).toBe(500);
  });

  it('answers an unexpected handler failure with InternalFailure 500 and reports it', async () => {
    const error = await ecs.send(new ListClustersCommand({ nextToken: 'crash' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ECSServiceException);
    expect((error as ECSServiceException).name).toBe('InternalFailure');
    expect((error as ECSServiceException).$metadata.httpStatusCode).toBe(500);
    expect(internalErrors).toHaveLength(1);
  });

  it('answers UnknownOperationException for unknown operations and targets', async () => {
    for (const target of ['AmazonSQS.Frobnicate', 'AmazonEC2ContainerServiceV20141113.Nope', 'DynamoDB_20120810.GetItem']) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
        body: '{}',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ __type: expect.stringMatching(/UnknownOperationException$/) });
    }
  });

  it('rejects a body that is not JSON with SerializationException', async () => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'com.amazonaws.sqs#SerializationException' });
  });
});

describe('startSimulator lifecycle', () => {
  it('ends parked long polls cleanly when the simulator closes', async () => {
    const sim = await startSimulator({ port: 0, eventQueue: null, ecs: false });
    const sqs = new SQSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'parked' }));
    const polls = [1, 2, 3].map(() => sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    await sim.close();
    const results = await Promise.all(polls);
    expect(results.map((r) => r.Messages)).toEqual([undefined, undefined, undefined]);
    // Not the 20 s the polls asked to wait.
    expect(Date.now() - started).toBeLessThan(10_000);
    sqs.destroy();
  });

  it('is found by SDK clients through the standard AWS_ENDPOINT_URL_SQS variable', async () => {
    const sim = await startSimulator({ port: 0, ecs: false });
    const saved = process.env['AWS_ENDPOINT_URL_SQS'];
    process.env['AWS_ENDPOINT_URL_SQS'] = sim.endpoint;
    try {
      const sqs = new SQSClient({ region: 'us-east-1', credentials });
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'via-env' }));
      expect(QueueUrl).toBe(`${sim.endpoint}/000000000000/via-env`);
      sqs.destroy();
    } finally {
      if (saved === undefined) delete process.env['AWS_ENDPOINT_URL_SQS'];
      else process.env['AWS_ENDPOINT_URL_SQS'] = saved;
      await sim.close();
    }
  });

  it('creates the event queue and configured queues at start', async () => {
    const sim = await startSimulator({
      port: 0,
      queues: ['extra', { name: 'tuned', attributes: { VisibilityTimeout: '2' } }],
    });
    try {
      expect(sim.eventQueueUrl).toBe(`${sim.endpoint}/000000000000/ecs-events`);
      expect(sim.sqs.listQueues()).toEqual([
        `${sim.endpoint}/000000000000/extra`,
        `${sim.endpoint}/000000000000/tuned`,
        `${sim.endpoint}/000000000000/ecs-events`,
      ]);
      expect(sim.sqs.getQueueAttributes('tuned')['VisibilityTimeout']).toBe('2');
    } finally {
      await sim.close();
    }
  });
});
