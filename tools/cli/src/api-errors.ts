/** The API could not be reached: refused connection, unknown host, no answer in time. */
export class ApiUnreachableError extends Error {}

/** The API answered with an error status; `message` is what it said, for the operator. */
export class ApiStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The API answered 2xx with a body the CLI does not understand (not this service, or another version). */
export class ApiAnswerError extends Error {}
