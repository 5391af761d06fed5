import { z } from 'zod';

/**
 * One item of a list or a stream (`{ metadata, entity }`): the v1 entity, every property
 * ECS reports, kept as it came. Tombstones (`tombstones=true`) carry `metadata.deleted`.
 */
export const recordItemSchema = z.object({
  metadata: z.looseObject({ entityVersion: z.string(), deleted: z.boolean().optional() }),
  entity: z.record(z.string(), z.unknown()),
});
export type RecordItem = z.infer<typeof recordItemSchema>;
export type Entity = RecordItem['entity'];

/** A list page: the store at `revision`; `nextToken` while more items follow. */
export const listPageSchema = z.looseObject({
  items: z.array(recordItemSchema),
  revision: z.string(),
  nextToken: z.string().optional(),
});
export type ListPage = z.infer<typeof listPageSchema>;

/** The object a stream ends with; resume with `afterRevision=resumeAfterRevision`. */
export const streamEndSchema = z.object({
  error: z.looseObject({ reason: z.string(), message: z.string(), resumeAfterRevision: z.string().optional() }),
});
