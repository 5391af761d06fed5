export { SqsEngine } from './sqs-engine';
export type { QueueSummary, SentMessage, SqsEngineOptions } from './sqs-engine';
export { SqsQueue } from './sqs-queue';
export type { NewMessage, QueueStats, ReceiveOptions } from './sqs-queue';
export { SqsService } from './sqs-service';
export type { ReceivedMessage } from './stored-message';
export type { MessageAttributeMap, MessageAttributeValue } from './message-attributes';
