import type { AwsError } from './aws-error';

/** Per-request context the server hands to a service. */
export interface CallContext {
  /** Aborted when the client goes away or the server shuts down (ends long polls early). */
  readonly signal: AbortSignal;
  /** Request headers, lower-cased. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** How an AwsError is put on the wire for one service. */
export interface WireError {
  /** The `__type` member of the JSON error body. */
  type: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/**
 * One simulated AWS service behind the shared endpoint. The server routes a request
 * whose `X-Amz-Target` is `<targetPrefix>.<Operation>` to `handle(Operation, body)`.
 * A handler returns the JSON response body or throws an AwsError.
 */
export interface SimulatedService {
  /** e.g. `AmazonSQS` or `AmazonEC2ContainerServiceV20141113`. */
  readonly targetPrefix: string;
  /** `application/x-amz-json-1.0` for SQS, `application/x-amz-json-1.1` for ECS. */
  readonly contentType: string;
  handle(operation: string, input: Record<string, unknown>, context?: CallContext): Promise<unknown>;
  /** Optional: wire form of an error; by default `__type` is the error code and no extra headers. */
  formatError?(error: AwsError, context: CallContext): WireError;
}

/** Supplies the simulator's ground truth (what the simulated world really looks like). */
export interface GroundTruthProvider {
  groundTruth(): unknown;
}
