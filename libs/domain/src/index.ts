export type { Failure, Ok, Result } from './result/result';
export { fail, ok } from './result/result';

export type { JsonArray, JsonObject, JsonPrimitive, JsonValue } from './json/json-value';
export { canonicalJson } from './json/canonical-json';

export type { ArnScope, Partition } from './arn/arn-components';
export { describeScope, isAccountId, isClusterName, isPartition, isRegion, isResourceId, PARTITIONS, sameScope } from './arn/arn-components';
export { partitionOfRegion } from './arn/region-partition';
export type { ArnFailure, ArnRejectReason, ArnResult } from './arn/arn-error';
export type { ClusterArn, ClusterArnInput } from './arn/cluster-arn';
export { clusterNameFromArn, formatClusterArn, parseClusterArn } from './arn/cluster-arn';
export type { TaskArn, TaskArnInput } from './arn/task-arn';
export { formatTaskArn, parseTaskArn } from './arn/task-arn';
export type { ContainerInstanceArn, ContainerInstanceArnInput } from './arn/container-instance-arn';
export { formatContainerInstanceArn, parseContainerInstanceArn } from './arn/container-instance-arn';
export type { TaskDefinitionArn, TaskDefinitionArnInput } from './arn/task-definition-arn';
export { formatTaskDefinitionArn, parseTaskDefinitionArn } from './arn/task-definition-arn';
export type { ArnFormat } from './arn/scoped-resource-arn';
export type { ClusterRef, ClusterRefRejectReason } from './arn/cluster-ref';
export { clusterRefMatches, parseClusterRef } from './arn/cluster-ref';
export type { ServiceArn, ServiceArnInput } from './arn/service-arn';
export { formatServiceArn, isServiceName, parseServiceArn } from './arn/service-arn';
export type { ContainerInstanceIdentity, IdentityRejectReason, ServiceIdentity, TaskIdentity } from './arn/resource-identity';
export { resolveContainerInstanceIdentity, resolveServiceIdentity, resolveTaskIdentity } from './arn/resource-identity';

export type { RecordFailure, RecordRejectReason, RecordResult } from './records/record-reject-reason';
export type { ContainerRecord, IsoTimestamp, TaskRecord } from './records/task-record';
export { EVENT_ONLY_TASK_PROPERTIES, normalizeTask } from './records/task-record';
export type { ContainerInstanceRecord } from './records/container-instance-record';
export { EVENT_ONLY_INSTANCE_PROPERTIES, normalizeContainerInstance } from './records/container-instance-record';
export type { ServiceDeployment, ServiceEventEntry, ServiceRecord } from './records/service-record';
export { normalizeService, SERVICE_MERGED_PROPERTIES, serviceSnapshot } from './records/service-record';
export { currentDeployment } from './records/current-deployment';
export { TIMESTAMP_PROPERTIES } from './records/timestamps';
export { MAX_RECORD_DEPTH } from './records/json-tree';
export type { InstanceState, RecordKind, ServiceState, StateRecord, TaskState, VersionedState } from './records/state-record';
export {
  normalizeParsedStateRecord,
  normalizeStateRecord,
  RECORD_KINDS,
  recordArn,
  recordClusterArn,
  recordsEqual,
  recordVersion,
} from './records/state-record';
export { storedRecordVersion } from './records/stored-version';

export type { RejectReason } from './events/reject-reason';
export { REJECT_REASONS } from './events/reject-reason';
export {
  CONTAINER_INSTANCE_STATE_CHANGE,
  DEPLOYMENT_STATE_CHANGE,
  recordKindOfDetailType,
  SERVICE_ACTION,
  TASK_STATE_CHANGE,
} from './events/detail-types';
export type { DeploymentRollout, ServiceChange } from './events/service-event';
export { DEPLOYMENT_EVENT_ROLLOUT_STATES } from './events/service-event';
export type { EventMetadata } from './events/eventbridge-envelope';
export { ECS_EVENT_SOURCE } from './events/eventbridge-envelope';
export type {
  IgnoredEvent,
  ParsedInstanceEvent,
  ParsedServiceEvent,
  ParsedTaskEvent,
  ParseEventOptions,
  ParseOutcome,
  RejectedMessage,
} from './events/parse-event-message';
export { DEFAULT_MAX_MESSAGE_BYTES, parseEventMessage } from './events/parse-event-message';

export type { KeyPrefix, KeyPrefixRejectReason } from './keys/key-prefix';
export { DEFAULT_KEY_PREFIX, parseKeyPrefix } from './keys/key-prefix';
export { INSTANCES_SEGMENT, SERVICES_SEGMENT, TASKS_SEGMENT } from './keys/key-segments';
export type { KeyRejectReason, KeyScan } from './keys/key-layout';
export {
  allInstancesPrefix,
  allServicesPrefix,
  allTasksPrefix,
  clusterInstancesPrefix,
  clusterInstancesScan,
  clusterServicesPrefix,
  clusterServicesScan,
  clusterTasksPrefix,
  clusterTasksScan,
  instanceKey,
  keyForRecord,
  scopeInstancesPrefix,
  scopeServicesPrefix,
  scopeTasksPrefix,
  serviceKey,
  taskKey,
} from './keys/key-layout';
export type { ParsedKey } from './keys/parse-key';
export { parseKey } from './keys/parse-key';

export { isNewer } from './versioning/is-newer';
export { DEFAULT_SERVICE_EVENTS_LIMIT, mergeServiceRecords, sameServiceState, serviceOfChange } from './versioning/merge-service';

export type { TaskStatus } from './status/task-status';
export { isTaskStatus, TASK_STATUSES } from './status/task-status';
export type { InstanceStatus } from './status/instance-status';
export { INSTANCE_STATUSES, isInstanceStatus } from './status/instance-status';

export type { ClusterDriftReport, ClusterOutcome, DriftCounts, DriftReport } from './drift/drift-report';
export { CLUSTER_OUTCOMES, clusterDriftReportSchema, driftCountsSchema, driftReportSchema, emptyCounts } from './drift/drift-report';
