import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZodError } from 'zod';
import type { FaultController } from '../faults/fault-controller';
import type { ServiceName } from '../faults/fault-settings';
import { AwsError } from '../aws/aws-error';
import type { CallContext, GroundTruthProvider, SimulatedService } from '../aws/service';
import type { AdminHandler } from './admin-routes';
import { AdminRouter } from './admin-routes';
import { stsErrorBody, type StsService } from '../sts/sts-service';
import { signingAccessKey } from './signing-key';

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const GENERIC_JSON = 'application/x-amz-json-1.1';

export interface SimulatorServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  faults: FaultController;
  /** Called for unexpected (non-AwsError) failures; defaults to stderr. */
  onInternalError?: (error: unknown) => void;
}

interface Registered {
  name: ServiceName;
  service: SimulatedService;
}

/**
 * One plain node:http endpoint for every simulated service, routed by X-Amz-Target,
 * plus the admin API under `/_sim/`. Call-level faults are applied here, before a
 * request reaches its service, so every service gets them the same way.
 */
export class SimulatorServer {
  private readonly http: Server;
  private readonly services = new Map<string, Registered>();
  private readonly admin = new AdminRouter();
  private readonly inFlight = new Set<AbortController>();
  private groundTruthProvider: GroundTruthProvider | null = null;
  private sts: StsService | null = null;
  private readonly accessKeys = new Map<string, Map<string, number>>();
  private readonly onInternalError: (error: unknown) => void;

  constructor(private readonly options: SimulatorServerOptions) {
    this.onInternalError = options.onInternalError ?? ((error) => console.error('ecs-sim: internal error', error));
    this.http = createServer((req, res) => {
      this.onRequest(req, res).catch((error: unknown) => {
        this.onInternalError(error);
        if (!res.headersSent) this.sendJson(res, 500, GENERIC_JSON, { __type: 'InternalFailure', message: 'internal error' });
        else res.destroy();
      });
    });
    this.http.keepAliveTimeout = 65_000;
    this.installAdminRoutes();
  }

  register(name: ServiceName, service: SimulatedService): void {
    this.services.set(service.targetPrefix, { name, service });
  }

  /** STS answers form-encoded (query protocol) POSTs, which carry no X-Amz-Target. */
  registerSts(sts: StsService): void {
    this.sts = sts;
  }

  /**
   * How many calls each access key signed, for a service (`ecs`, `sqs`, `sts`): which
   * credentials a client really used.
   */
  callsByAccessKey(service: string): ReadonlyMap<string, number> {
    return new Map(this.accessKeys.get(service) ?? []);
  }

  private countCaller(service: string, req: IncomingMessage): string | undefined {
    const key = signingAccessKey(req.headers.authorization);
    if (key === undefined) return undefined;
    const counts = this.accessKeys.get(service) ?? new Map<string, number>();
    counts.set(key, (counts.get(key) ?? 0) + 1);
    this.accessKeys.set(service, counts);
    return key;
  }

  setGroundTruthProvider(provider: GroundTruthProvider | null): void {
    this.groundTruthProvider = provider;
  }

  addAdminRoute(method: string, path: string, handler: AdminHandler): void {
    this.admin.add(method, path, handler);
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 4566, this.options.host ?? '127.0.0.1', () => {
        this.http.off('error', reject);
        resolve(this.http.address() as AddressInfo);
      });
    });
  }

  /**
   * Aborts pending calls (long polls answer empty), then waits for responses in
   * progress to be written and closes every connection.
   */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const controller of this.inFlight) controller.abort();
    const deadline = Date.now() + 1_000;
    while (this.inFlight.size > 0 && Date.now() < deadline) await sleep(5);
    this.http.closeAllConnections();
    await closed;
  }

  private installAdminRoutes(): void {
    const { faults } = this.options;
    this.admin.add('GET', '/health', () => ({
      status: 200,
      body: { status: 'ok', services: [...this.services.values()].map((s) => s.name) },
    }));
    this.admin.add('GET', '/state', () =>
      this.groundTruthProvider
        ? { status: 200, body: this.groundTruthProvider.groundTruth() }
        : { status: 404, body: { error: 'No ground-truth provider is registered (ECS is not simulated).' } },
    );
    this.admin.add('GET', '/faults', () => ({ status: 200, body: faults.settings }));
    this.admin.add('PUT', '/faults', (req) => ({ status: 200, body: faults.replace(req.body ?? {}) }));
    this.admin.add('PATCH', '/faults', (req) => ({ status: 200, body: faults.update(req.body ?? {}) }));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
      await this.onAdmin(req.method ?? 'GET', url, body, res);
      return;
    }
    const target = req.headers['x-amz-target'];
    if (req.method === 'POST' && target === undefined && this.sts !== null && isFormEncoded(req)) {
      this.onSts(this.sts, req, body, res);
      return;
    }
    if (req.method !== 'POST' || typeof target !== 'string') {
      this.sendJson(res, 404, GENERIC_JSON, {
        __type: 'UnknownOperationException',
        message: 'Expected a POST with an X-Amz-Target header, or an admin call under /_sim/.',
      });
      return;
    }
    const dot = target.lastIndexOf('.');
    const registered = this.services.get(target.slice(0, dot));
    if (dot < 0 || !registered) {
      this.sendJson(res, 400, GENERIC_JSON, { __type: 'UnknownOperationException', message: `Unknown target ${target}` });
      return;
    }
    await this.onCall(registered, target.slice(dot + 1), req, body, res);
  }

  private async onCall(
    { name, service }: Registered,
    operation: string,
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
  ): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    res.once('close', () => {
      this.inFlight.delete(controller);
      if (!res.writableFinished) controller.abort();
    });
    const context: CallContext = { signal: controller.signal, headers: req.headers };
    this.countCaller(name, req);
    try {
      const plan = this.options.faults.planCall(name);
      if (plan.delayMs > 0) {
        await sleep(plan.delayMs, undefined, { signal: controller.signal }).catch(() => undefined);
      }
      if (plan.error) throw plan.error;
      const result = await service.handle(operation, parseJsonBody(body), context);
      this.sendJson(res, 200, service.contentType, result ?? {});
    } catch (error) {
      const awsError = toAwsError(error, this.onInternalError);
      const wire = service.formatError?.(awsError, context) ?? { type: awsError.code };
      this.sendJson(res, awsError.statusCode, service.contentType, { __type: wire.type, message: awsError.message }, wire.headers);
    }
  }

  private onSts(sts: StsService, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const caller = this.countCaller('sts', req);
    const params = new URLSearchParams(body.toString('utf8'));
    let status = 200;
    let xml: string;
    try {
      xml = sts.handle(params.get('Action') ?? '', params, caller);
    } catch (error) {
      const awsError = toAwsError(error, this.onInternalError);
      status = awsError.statusCode;
      xml = stsErrorBody(awsError);
    }
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': randomUUID() });
    res.end(xml);
  }

  private async onAdmin(method: string, url: URL, body: Buffer, res: ServerResponse): Promise<void> {
    let parsed: unknown;
    try {
      parsed = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      this.sendJson(res, 400, 'application/json', { error: 'Body is not valid JSON' });
      return;
    }
    try {
      const response = await this.admin.dispatch({ method, path: url.pathname.slice('/_sim'.length) || '/', query: url.searchParams, body: parsed });
      this.sendJson(res, response.status, 'application/json', response.body);
    } catch (error) {
      if (error instanceof ZodError) {
        this.sendJson(res, 400, 'application/json', { error: 'Invalid request', issues: error.issues });
      } else if (error instanceof AwsError) {
        this.sendJson(res, error.statusCode, 'application/json', { error: error.message, code: error.code });
      } else {
        throw error;
      }
    }
  }

  private sendJson(
    res: ServerResponse,
    status: number,
    contentType: string,
    payload: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (res.destroyed) return;
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      ...headers,
      'content-type': contentType,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  }
}

function toAwsError(error: unknown, onInternalError: (error: unknown) => void): AwsError {
  if (error instanceof AwsError) return error;
  if (error instanceof SyntaxError) return new AwsError('SerializationException', 'Request body is not valid JSON.', 400);
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return new AwsError('InvalidParameterException', `${issue?.path.join('.') ?? 'input'}: ${issue?.message ?? 'invalid'}`, 400);
  }
  onInternalError(error);
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error.', 500);
}

function isFormEncoded(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Request body must be a JSON object.', 400);
  }
  return parsed as Record<string, unknown>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy(new Error('request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
