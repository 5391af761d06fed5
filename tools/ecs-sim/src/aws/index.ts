export { AwsError } from './aws-error';
export type { EventPublisher, EventPublisherFactory } from './event-publisher';
export { deriveSeed, mulberry32, randomInt } from './prng';
export type { Random } from './prng';
export type { CallContext, GroundTruthProvider, SimulatedService, WireError } from './service';
