import type { StateRecord } from '@ecs-state/domain';
import { VersionedRecordStore } from '@ecs-state/etcd-store';
import { ChangeHistory } from './change-history';
import { createEntryDecoder } from './entry-decoder';
import { EtcdReplay } from './etcd-replay';
import { FanOut } from './fan-out';
import { FreshnessProbe } from './freshness-probe';
import { Reflector } from './reflector';
import { STATE_VIEW_DEFAULTS, type StateViewOptions } from './state-view-options';
import { createTolerantCodec, type DecodedRecord } from './tolerant-codec';
import { NOOP_LOGGER } from './view-logger';
import { ViewStore } from './view-store';

export interface ViewParts<S> {
  /** The view's own etcd store: it reads only (see createTolerantCodec). */
  readonly etcd: VersionedRecordStore<DecodedRecord<S>>;
  readonly reflector: Reflector<S>;
  readonly store: ViewStore<S>;
  readonly history: ChangeHistory<S>;
  readonly fanOut: FanOut<S>;
  readonly replay: EtcdReplay<S>;
  readonly probe: FreshnessProbe;
}

/**
 * Connects the parts of a view along its data path: the reflector's snapshot
 * and watch events go into the store; each batch of changes the store makes
 * is recorded in the history and then published by the fan-out, in one
 * synchronous step, so that a list followed by a subscription misses nothing.
 */
export function composeView<S = StateRecord>(options: StateViewOptions<S>): ViewParts<S> {
  const { prefix } = options;
  const rootPrefix = `${prefix}/`;
  const logger = options.logger ?? NOOP_LOGGER;
  const now = options.now ?? Date.now;
  const probeIntervalMs = options.probeIntervalMs ?? STATE_VIEW_DEFAULTS.probeIntervalMs;
  const etcd = new VersionedRecordStore({ client: options.client, codec: createTolerantCodec(prefix, options.project ?? ((record) => record as S)) });
  const decode = createEntryDecoder<S>(logger);
  const store = new ViewStore<S>(decode, now);
  const history = new ChangeHistory<S>(options.historySize ?? STATE_VIEW_DEFAULTS.historySize, 0);
  const fanOut = new FanOut<S>(logger);
  const probe = new FreshnessProbe({
    etcd,
    rootPrefix,
    intervalMs: probeIntervalMs,
    maxStalenessMs: options.maxStalenessMs ?? STATE_VIEW_DEFAULTS.maxStalenessMs,
    now,
    logger,
    catchUp: () => {
      const settled = reflector.settledRevision();
      if (settled !== undefined) store.advanceTo(settled);
      return store.revision;
    },
  });
  const replay = new EtcdReplay<S>({
    etcd,
    prefix,
    decode,
    timeoutMs: options.storeTimeoutMs ?? STATE_VIEW_DEFAULTS.storeTimeoutMs,
    position: () => ({ oldestAvailable: history.completeAfter, current: store.revision }),
  });
  const reflector: Reflector<S> = new Reflector<S>({
    etcd,
    rootPrefix,
    decode,
    logger,
    retryDelayMs: probeIntervalMs,
    sink: {
      replace: (snapshot) => {
        store.replace(snapshot);
        history.reset(snapshot.revision);
        probe.advanced(snapshot.revision);
      },
      apply: (events) => {
        const changes = store.apply(events);
        for (const change of changes) history.push(change);
        probe.advanced(store.revision);
        fanOut.publish(changes);
      },
      gap: () => fanOut.endAll('view_resync'),
      counts: () => ({ tasks: store.count('task'), instances: store.count('instance'), services: store.count('service') }),
    },
  });
  return { etcd, reflector, store, history, fanOut, replay, probe };
}
