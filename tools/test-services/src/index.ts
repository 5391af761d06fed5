// Helpers that start processes or talk to etcd; the pure fixtures are in @ecs-state/test-support.
export { newClient, uniquePrefix, writer } from './test-etcd';
export { sampleInstance, sampleTask } from './sample-records';
export { ServiceProcess, type ServiceProcessOptions } from './service-process';
export { IngestorProcess, type IngestorProcessOptions } from './ingestor-process';
export { registerWebTaskDefinition } from './ecs-fixtures';
export { expectStoreToMatchTruth } from './ground-truth';
export { describeOnDedicatedEtcd } from './dedicated-etcd';
