import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

/**
 * Gives the simulator's event queue a dead-letter queue, as the deployment's queue
 * has, so that rejected messages take the same path locally as in production.
 */
export async function addDeadLetterQueue(endpoint: string, region: string, queueName: string): Promise<void> {
  const sqs = new SQSClient({ endpoint, region, credentials: { accessKeyId: 'local-stack', secretAccessKey: 'local-stack' } });
  try {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${queueName}-dlq` }));
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    const queue = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queue.QueueUrl,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) },
      }),
    );
  } finally {
    sqs.destroy();
  }
}
