/**
 * An error answered in the AWS JSON error shape. `code` is the exception name the
 * AWS SDK maps to its exception class (e.g. `ClusterNotFoundException`,
 * `QueueDoesNotExist`), so clients pointed at the simulator raise what they would
 * raise against AWS, and the SDK's retry strategy classifies it the same way.
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number = 400,
  ) {
    super(message);
    this.name = code;
  }
}
