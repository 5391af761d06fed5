import { parseEventMessage, serviceOfChange, type StateRecord } from '@ecs-state/domain';
import type { IngestMetrics } from './ingest-metrics';

/** An item (an SQS message, a Kinesis record) whose body is a state record to write. */
export interface ToWrite<Item> {
  item: Item;
  record: StateRecord;
  eventTime: string;
}

export interface RejectedItem<Item> {
  item: Item;
  reason: string;
  detail: string;
}

/** What the bodies of one delivery turned out to be. */
export interface ParsedEvents<Item> {
  toWrite: ToWrite<Item>[];
  /** Well-formed ECS events of a type the service does not store. */
  ignored: Item[];
  rejected: RejectedItem<Item>[];
}

/** Prometheus label values must stay few: anything unexpected is folded into `other`. */
function detailTypeLabel(detailType: string): string {
  return /^[A-Za-z][A-Za-z ]{0,63}$/.test(detailType) ? detailType : 'other';
}

/**
 * Parses every body with the domain's event parser, whatever carried it, and
 * counts the ignored event types; what to do with rejected items is the
 * source's business (SQS hides them for the redrive policy, Kinesis skips them).
 */
export function parseEvents<Item>(items: readonly Item[], bodyOf: (item: Item) => string, maxBytes: number, metrics: IngestMetrics): ParsedEvents<Item> {
  const parsed: ParsedEvents<Item> = { toWrite: [], ignored: [], rejected: [] };
  for (const item of items) {
    const outcome = parseEventMessage(bodyOf(item), { maxBytes });
    if (outcome.ok) {
      const record: StateRecord =
        outcome.kind === 'service'
          ? { kind: 'service', record: serviceOfChange(outcome.change) }
          : outcome.kind === 'task'
            ? { kind: 'task', record: outcome.record }
            : { kind: 'instance', record: outcome.record };
      parsed.toWrite.push({ item, record, eventTime: outcome.event.time });
    } else if (outcome.ignored) {
      metrics.ignored.inc({ detail_type: detailTypeLabel(outcome.detailType) });
      parsed.ignored.push(item);
    } else {
      parsed.rejected.push({ item, reason: outcome.reason, detail: outcome.message });
    }
  }
  return parsed;
}
