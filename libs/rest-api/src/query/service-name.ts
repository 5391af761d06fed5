import { isServiceName } from '@ecs-state/domain';
import { ApiError, MESSAGES } from '../http/api-error';

/** A service name as ECS allows it (up to 255 letters, digits, hyphens and underscores), or 400. */
export function parseServiceName(value: string): string {
  if (!isServiceName(value)) throw new ApiError(400, MESSAGES.invalidService);
  return value;
}
