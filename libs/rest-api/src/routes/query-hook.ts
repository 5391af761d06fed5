import type { FastifyRequest } from 'fastify';
import { strictQuery } from '../query/strict-query';

const parsedQueries = new WeakMap<FastifyRequest, Record<string, string>>();

/**
 * Runs before schema validation, so that unknown and repeated parameters get
 * the original's messages rather than a schema validator's.
 */
export function strictQueryHook(allowed: readonly string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    parsedQueries.set(request, strictQuery(request.query, allowed));
  };
}

export function queryOf(request: FastifyRequest): Record<string, string> {
  return parsedQueries.get(request) ?? {};
}
