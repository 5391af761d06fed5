/** A route of the admin API under `/_sim/`. */
export interface AdminRequest {
  method: string;
  /** Path after `/_sim`, e.g. `/state`. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined when empty. */
  body: unknown;
}

export interface AdminResponse {
  status: number;
  body: unknown;
}

export type AdminHandler = (request: AdminRequest) => AdminResponse | Promise<AdminResponse>;

/** Exact method + path matching; the admin API is small enough not to need patterns. */
export class AdminRouter {
  private readonly routes = new Map<string, AdminHandler>();

  add(method: string, path: string, handler: AdminHandler): void {
    this.routes.set(`${method.toUpperCase()} ${path}`, handler);
  }

  async dispatch(request: AdminRequest): Promise<AdminResponse> {
    const handler = this.routes.get(`${request.method.toUpperCase()} ${request.path}`);
    if (handler) return handler(request);
    const allowed = [...this.routes.keys()].filter((key) => key.endsWith(` ${request.path}`));
    if (allowed.length > 0) return { status: 405, body: { error: `Method ${request.method} not allowed` } };
    return { status: 404, body: { error: `No admin route ${request.path}`, routes: [...this.routes.keys()] } };
  }
}
