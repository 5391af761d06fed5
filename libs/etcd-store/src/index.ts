export type { RecordCodec } from './codec';
export {
  CompactedRevisionError,
  EtcdNoSpaceError,
  EtcdStoreError,
  InvalidContinueTokenError,
  InvalidStoreArgumentError,
  RecordDecodeError,
  WatchCanceledError,
  WriteContentionError,
} from './errors';
export { VersionedRecordStore, type GetResult, type Snapshot, type VersionedRecordStoreOptions } from './versioned-record-store';
export type { UpsertOutcome } from './upsert-if-newer';
export type { MergeOutcome } from './merge-records';
export type { DeleteOutcome, DeleteRequest } from './delete-if-unchanged';
export { MAX_LIST_LIMIT, type ListOptions, type ListPage, type StoredRecord } from './list-snapshot';
export type { SnapshotPage } from './snapshot-pages';
export type { WatchEvent, WatchHandle, WatchOptions } from './prefix-watch';
export type { RoundTripStats } from './round-trips';
export { DEFAULT_TXN_LIMITS, type TxnLimits } from './txn-limits';
export { prefixRangeEnd } from './key-range';
export { DEFAULT_SCAN_PAGE_SIZE, type GroupListing, type KeyGroup, type KeyListing, type RawEntry, type RawListing, type ScanOptions } from './key-scan';
export type { ModifiedSince } from './prefix-probes';
export { etcdReachable } from './config/etcd-reachable';
export { EtcdConfigError } from './config/etcd-config-error';
export { ETCD_DEFAULTS, ETCD_ENV, loadEtcdConfig, type EtcdConfig, type EtcdTlsConfig } from './config/etcd-config';
export { createEtcdClient, type EtcdConnectionConfig } from './config/create-etcd-client';
export { ClusterStateStore, type ClusterListOptions, type ClusterSnapshot, type ClusterStateStoreOptions } from './cluster-state/cluster-state-store';
export { decodeStateRecordAt, RecordKeyError, stateRecordCodec, type LocatedStateRecord } from './cluster-state/state-record-codec';
export type { StoredClusterKeys } from './cluster-state/stored-cluster-keys';
export { ETCD_ALARMS, EtcdStatusMonitor, type EtcdStatus, type EtcdStatusMonitorOptions } from './etcd-status-monitor';
export { ETCD_STATUS_METRICS, registerEtcdStatusMetrics, type EtcdStatusMetricsOptions } from './etcd-status-metrics';
export { createEtcdStatusWatch, type EtcdStatusLog, type EtcdStatusWatchOptions } from './etcd-status-watch';
export { CoordinationKeys } from './shard-leases/coordination-keys';
export { LeaseSession, type LeaseSessionOptions } from './shard-leases/lease-session';
export type { ShardCheckpoint } from './shard-leases/shard-checkpoint';
export { ShardLeaseTable, type LeaseTableState, type ShardLeaseTableOptions } from './shard-leases/shard-lease-table';
