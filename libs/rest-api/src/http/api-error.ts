/**
 * Error texts of the v1 API. The first group is the original service's, word
 * for word: clients and scripts match on them.
 */
export const MESSAGES = {
  unsupportedFilter: 'At least one of the filters provided is unsupported',
  repeatedFilter: 'At least one of the filters provided is specified multiple times',
  invalidStatus: 'Invalid status',
  invalidCluster: 'Invalid cluster ARN or name',
  invalidEntityVersion: 'Invalid entity version',
  entityVersionOutOfRange: 'Entity version is out of range',
  taskNotFound: 'Task not found',
  instanceNotFound: 'Instance not found',
  internal: 'Unexpected internal server error',

  invalidTaskArn: 'Invalid task ARN',
  invalidInstanceArn: 'Invalid instance ARN',
  invalidLimit: 'Invalid limit',
  invalidNextToken: 'Invalid nextToken',
  expiredNextToken: 'The nextToken has expired: list again from the first page',
  invalidRevision: 'Invalid afterRevision',
  conflictingStart: 'Use either entityVersion or afterRevision, not both',
  invalidBoolean: 'Invalid boolean: use true or false',
  invalidLaunchType: 'Invalid launch type',
  invalidContainerInstance: 'Invalid container instance ARN or ID',
  invalidFamily: 'Invalid task definition family',
  invalidAttribute: 'Invalid attribute: use name or name=value',
  serviceNotFound: 'Service not found',
  invalidService: 'Invalid service name or ARN',
  invalidRolloutState: 'Invalid rollout state',
  parameterTooLong: 'A query parameter is too long',
  notFound: 'Not found',
  unauthorized: 'Unauthorized',
  postDisabled: 'POST requests are disabled: configure API_TOKENS to enable them',
  notReady: 'The state view is not in sync yet',
  reconcileUnavailable: 'Manual reconcile is not available: REDIS_URL is not configured',
  reconcileNotFound: 'Reconcile run not found',
  tooManyStreams: 'Too many stream clients',
  etcdUnavailable: 'etcd is unavailable; retry later',
  redisUnavailable: 'Redis is unavailable; retry later',
  shuttingDown: 'The server is shutting down; retry later',

  badUrl: 'Invalid URL: malformed percent-encoding',
  pathTooLong: 'URI too long: a path segment is over 2048 characters',
  malformedRequest: 'Malformed HTTP request',
  headersTooLarge: 'Request header fields too large',
  requestTimeout: 'The request was not received in time',
  bodyTooLarge: 'The body is too large',
  bodyLengthMismatch: 'The body does not match its Content-Length',
  emptyJsonBody: 'The body is empty but Content-Type is application/json',
  invalidJson: 'The body is not valid JSON',
  unsupportedMediaType: 'Unsupported Content-Type: send application/json',
  unsupportedCharset: 'Unsupported charset: JSON bodies must be UTF-8',
} as const;

/** A failure whose status and message are safe to show the client. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
