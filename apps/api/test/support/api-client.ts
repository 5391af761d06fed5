/** A v1 list or get answer. */
export interface ApiAnswer {
  readonly status: number;
  readonly text: string;
  readonly revision: string | null;
}

export interface ListBody {
  readonly items: { readonly metadata: { readonly entityVersion: string }; readonly entity: Record<string, unknown> }[];
  readonly revision: string;
}

/** Plain HTTP against the api process, as any v1 client would call it. */
export class ApiClient {
  constructor(private readonly baseUrl: string) {}

  async get(path: string): Promise<ApiAnswer> {
    const response = await fetch(`${this.baseUrl}${path}`);
    return { status: response.status, text: await response.text(), revision: response.headers.get('x-store-revision') };
  }

  async list(path: string): Promise<ListBody> {
    const answer = await this.get(path);
    if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.text}`);
    return JSON.parse(answer.text) as ListBody;
  }

  /** The entities of a listing, by ARN (taskARN or containerInstanceARN). */
  async entitiesByArn(path: string): Promise<Map<string, Record<string, unknown>>> {
    const body = await this.list(path);
    return new Map(body.items.map((item) => [arnOf(item.entity), item.entity]));
  }
}

export function arnOf(entity: Record<string, unknown>): string {
  const arn = entity['taskARN'] ?? entity['containerInstanceARN'];
  if (typeof arn !== 'string') throw new Error(`entity without an ARN: ${JSON.stringify(entity).slice(0, 200)}`);
  return arn;
}
