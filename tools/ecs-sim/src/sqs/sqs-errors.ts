import { AwsError } from '../aws/aws-error';

/**
 * SQS speaks JSON but stays compatible with its older query protocol: the SDK sends
 * `x-amzn-query-mode: true` and maps the legacy code from the `x-amzn-query-error`
 * response header (`<code>;Sender|Receiver`) to its exception class. Real SQS sets
 * both `__type` and that header, so the simulator does too. Shape name -> legacy code.
 */
const QUERY_CODES: Readonly<Record<string, string>> = {
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  BatchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  MessageNotInflight: 'AWS.SimpleQueueService.MessageNotInflight',
  PurgeQueueInProgress: 'AWS.SimpleQueueService.PurgeQueueInProgress',
  QueueDeletedRecently: 'AWS.SimpleQueueService.QueueDeletedRecently',
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  QueueNameExists: 'QueueAlreadyExists',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
  ThrottlingException: 'RequestThrottled',
};

/** Shapes whose code is not in the `com.amazonaws.sqs` namespace. */
const FOREIGN_SHAPES = new Set(['UnknownOperationException', 'InternalFailure', 'ServiceUnavailable']);

export function sqsQueryErrorCode(code: string): string {
  return QUERY_CODES[code] ?? code;
}

export function sqsErrorType(code: string): string {
  return FOREIGN_SHAPES.has(code) ? code : `com.amazonaws.sqs#${code}`;
}

const STATUS: Readonly<Record<string, number>> = {
  ReceiptHandleIsInvalid: 404,
  PurgeQueueInProgress: 403,
  OverLimit: 403,
};

export function sqsError(code: string, message: string): AwsError {
  return new AwsError(code, message, STATUS[code] ?? 400);
}

export function queueDoesNotExist(): AwsError {
  return sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
}

export function invalidParameterValue(message: string): AwsError {
  return sqsError('InvalidParameterValue', message);
}

export function invalidAttributeValue(message: string): AwsError {
  return sqsError('InvalidAttributeValue', message);
}
