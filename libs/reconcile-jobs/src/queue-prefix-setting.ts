import { z } from 'zod';
import { DEFAULT_QUEUE_PREFIX } from './names';

/**
 * RECONCILE_QUEUE_PREFIX, as the api (which enqueues) and the reconciler (which works) both
 * read it: the two must agree on it, so they check it by the same rule and default alike.
 * Redis keys allow anything, but ':' would split BullMQ's key layout and spaces are typos.
 */
export const reconcileQueuePrefixSetting = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, dots, hyphens or underscores')
  .default(DEFAULT_QUEUE_PREFIX);
