import type { WatchEvent, WatchOptions } from '../../src';
import type { TestRecord } from './test-records';

/** Collects what a watch delivers, for assertions. */
export class EventLog {
  readonly events: WatchEvent<TestRecord>[] = [];
  readonly errors: Error[] = [];
  disconnects = 0;

  options(fromRevision?: number): WatchOptions<TestRecord> {
    return {
      ...(fromRevision === undefined ? {} : { fromRevision }),
      onEvent: (event) => this.events.push(event),
      onError: (error) => this.errors.push(error),
      onDisconnected: () => this.disconnects++,
    };
  }

  revisions(): number[] {
    return this.events.map((e) => (e.type === 'put' ? e.modRevision : e.revision));
  }

  puts(): string[] {
    return this.events.flatMap((e) => (e.type === 'put' ? [`${e.key}@${e.record.version}`] : []));
  }
}
