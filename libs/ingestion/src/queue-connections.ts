import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';
import { setMaxListeners } from 'node:events';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/**
 * Ends every request it carries once `signal` aborts. Long polls must be cut
 * short at shutdown, and a per-call abort signal would make the SDK resolve
 * its middleware stack again on every call.
 */
class InterruptibleRequestHandler extends NodeHttpHandler {
  constructor(
    private readonly signal: AbortSignal,
    options: NodeHttpHandlerOptions,
  ) {
    super(options);
  }

  override handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const withSignal: HttpHandlerOptions = { ...options, abortSignal: options?.abortSignal ?? this.signal };
    return super.handle(request, withSignal);
  }
}

/**
 * Settings every ingestor SQS client shares, chosen for per-call CPU: the
 * ingestor makes two SQS calls per ten events, and on small machines their
 * client-side cost bounds throughput.
 * - cacheMiddleware: the middleware stack is resolved once per command type,
 *   not once per call.
 * - md5 off: the SDK would hash every received body to compare it with SQS's
 *   MD5 digest, a check against corruption in transit that HTTPS already
 *   makes (TLS records are authenticated); a corrupt body would fail to parse
 *   and be rejected like any malformed message.
 */
const SHARED_CONFIG = { cacheMiddleware: true, md5: false } as const satisfies SQSClientConfig;

function agents(maxSockets: number): NodeHttpHandlerOptions {
  return {
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
  };
}

export interface QueueConnectionOptions {
  /** Concurrent long polls: each holds a connection for up to WaitTimeSeconds. */
  readonly pollers: number;
  /** Region, endpoint and credentials; empty reads the SDK's standard variables. */
  readonly client?: SQSClientConfig;
}

/**
 * Two SQS clients with their own connection pools: one for long polls, which
 * can be interrupted together, and one for every other call, so deletions of
 * processed messages never wait behind connections parked in long polls and
 * keep working while the polls are being shut down.
 */
export class QueueConnections {
  private readonly stopPolls = new AbortController();
  readonly polls: SQSClient;
  readonly calls: SQSClient;

  constructor(options: QueueConnectionOptions) {
    // Every long poll in flight listens on this signal until it ends: up to one per poller.
    // Past Node's default of 10 it would warn of a leak that is not one.
    setMaxListeners(options.pollers + 1, this.stopPolls.signal);
    const base = { ...options.client, ...SHARED_CONFIG };
    this.polls = new SQSClient({
      ...base,
      requestHandler: new InterruptibleRequestHandler(this.stopPolls.signal, agents(options.pollers)),
    });
    // Each poller deletes at most one batch at a time; a few more sockets cover the hiding of rejected messages.
    this.calls = new SQSClient({ ...base, requestHandler: new NodeHttpHandler(agents(options.pollers + 4)) });
  }

  /** Ends the long polls in flight and makes later ones fail at once; other calls are unaffected. */
  interruptPolls(): void {
    this.stopPolls.abort();
  }

  destroy(): void {
    this.interruptPolls();
    this.polls.destroy();
    this.calls.destroy();
  }
}
