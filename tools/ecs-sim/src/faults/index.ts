export { FaultController } from './fault-controller';
export type { CallPlan } from './fault-controller';
export { applyFaultPatch, defaultFaultSettings, faultPatchSchema, faultSettingsSchema, SERVICE_NAMES } from './fault-settings';
export type { EventFaults, FaultPatch, FaultSettings, ServiceCallFaults, ServiceName } from './fault-settings';
export { createFaultyPublisher } from './faulty-publisher';
export type { FaultyPublisher } from './faulty-publisher';
export { TokenBucket } from './token-bucket';
