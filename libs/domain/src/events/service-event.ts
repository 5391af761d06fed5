import { parseClusterArn, formatClusterArn } from '../arn/cluster-arn';
import { describeScope } from '../arn/arn-components';
import { parseServiceArn } from '../arn/service-arn';
import type { JsonObject } from '../json/json-value';
import { isPlainObject, toCanonicalTree } from '../records/json-tree';
import type { ServiceEventEntry } from '../records/service-record';
import { isCanonicalIso } from '../records/timestamps';
import { fail, ok } from '../result/result';
import type { Failure, Result } from '../result/result';
import { describeType, quote } from '../text/quote';
import { DEPLOYMENT_STATE_CHANGE } from './detail-types';
import type { EcsEventEnvelope } from './eventbridge-envelope';

/** The rollout state each `ECS Deployment State Change` event name reports. */
export const DEPLOYMENT_EVENT_ROLLOUT_STATES: Readonly<Record<string, string>> = {
  SERVICE_DEPLOYMENT_IN_PROGRESS: 'IN_PROGRESS',
  SERVICE_DEPLOYMENT_COMPLETED: 'COMPLETED',
  SERVICE_DEPLOYMENT_FAILED: 'FAILED',
};

/** What an `ECS Deployment State Change` says about one deployment. */
export interface DeploymentRollout {
  readonly id: string;
  readonly rolloutState: string;
  readonly rolloutStateReason?: string;
  readonly updatedAt: string;
}

/**
 * A service event, typed: which service (from `resources`, the cluster from
 * the new-format service ARN or `detail.clusterArn`), the entry to keep in its
 * history and, for a deployment state change, the deployment's new rollout.
 */
export interface ServiceChange {
  readonly serviceArn: string;
  readonly serviceName: string;
  readonly clusterArn: string;
  readonly entry: ServiceEventEntry;
  readonly rollout?: DeploymentRollout;
}

type ServiceEventRejectReason = 'missing_field' | 'invalid_field' | 'invalid_arn' | 'arn_mismatch';

function requiredString(detail: JsonObject, field: string): Result<string, 'missing_field' | 'invalid_field'> {
  const value = detail[field];
  if (value === undefined) return fail('missing_field', `detail.${field} is missing`);
  if (typeof value !== 'string' || value === '') {
    return fail('invalid_field', `detail.${field} must be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : describeType(value)}`);
  }
  return ok(value);
}

function optionalStrings(detail: JsonObject, field: string): Failure<'invalid_field'> | undefined {
  const value = detail[field];
  if (value === undefined || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) return undefined;
  return fail('invalid_field', `detail.${field} must be an array of strings, got ${describeType(value)}`);
}

/**
 * Reads an `ECS Service Action` or `ECS Deployment State Change` event. Neither
 * carries a `version`; see README "Ordering rule" for how they are ordered.
 */
export function parseServiceEvent(envelope: EcsEventEnvelope): Result<ServiceChange, ServiceEventRejectReason> {
  if (!isPlainObject(envelope.detail)) return fail('invalid_field', `detail must be an object, got ${describeType(envelope.detail)}`);
  const tree = toCanonicalTree(envelope.detail);
  if (!tree.ok) return fail('invalid_field', `detail.${tree.message}`);
  const detail = tree.value;
  const serviceArnText = envelope.resources[0];
  if (serviceArnText === undefined) return fail('missing_field', 'resources is empty: a service event names its service ARN there');
  const service = parseServiceArn(serviceArnText);
  if (!service.ok) return fail(service.reason, `resources[0]: ${service.message}`);
  if (service.value.region !== envelope.region || service.value.account !== envelope.account) {
    return fail(
      'arn_mismatch',
      `event envelope is from region ${quote(envelope.region)} account ${quote(envelope.account)} but resources[0] ${quote(service.value.arn)} is in ${describeScope(service.value)}`,
    );
  }
  let clusterArn: string;
  const detailCluster = detail['clusterArn'];
  if (detailCluster !== undefined) {
    if (typeof detailCluster !== 'string') return fail('invalid_field', `detail.clusterArn must be a string, got ${describeType(detailCluster)}`);
    const cluster = parseClusterArn(detailCluster);
    if (!cluster.ok) return fail(cluster.reason, `detail.clusterArn: ${cluster.message}`);
    const sameScope = cluster.value.partition === service.value.partition && cluster.value.region === service.value.region && cluster.value.account === service.value.account;
    if (!sameScope || (service.value.clusterName !== undefined && service.value.clusterName !== cluster.value.clusterName)) {
      return fail('arn_mismatch', `resources[0] ${quote(service.value.arn)} is not a service of detail.clusterArn ${quote(cluster.value.arn)}`);
    }
    clusterArn = cluster.value.arn;
  } else {
    if (service.value.clusterName === undefined) {
      return fail('invalid_arn', `resources[0] ${quote(service.value.arn)} is an old-format service ARN, which names no cluster, and detail.clusterArn is absent`);
    }
    const built = formatClusterArn({ ...service.value, clusterName: service.value.clusterName });
    if (!built.ok) return built;
    clusterArn = built.value;
  }
  const eventName = requiredString(detail, 'eventName');
  if (!eventName.ok) return eventName;
  const eventType = requiredString(detail, 'eventType');
  if (!eventType.ok) return eventType;
  const reason = detail['reason'];
  if (reason !== undefined && typeof reason !== 'string') return fail('invalid_field', `detail.reason must be a string, got ${describeType(reason)}`);
  const arrays = optionalStrings(detail, 'capacityProviderArns') ?? optionalStrings(detail, 'containerInstanceArns');
  if (arrays) return arrays;

  const entry: Record<string, ServiceEventEntry[string]> = { eventId: envelope.id, eventName: eventName.value, eventType: eventType.value, time: envelope.time };
  if (reason !== undefined) entry['reason'] = reason;
  for (const field of ['capacityProviderArns', 'containerInstanceArns']) {
    if (detail[field] !== undefined) entry[field] = detail[field];
  }
  const identity = { serviceArn: service.value.arn, serviceName: service.value.serviceName, clusterArn };
  if (envelope.detailType !== DEPLOYMENT_STATE_CHANGE) return ok({ ...identity, entry: entry as ServiceEventEntry });

  const deploymentId = requiredString(detail, 'deploymentId');
  if (!deploymentId.ok) return deploymentId;
  const rolloutState = DEPLOYMENT_EVENT_ROLLOUT_STATES[eventName.value];
  if (rolloutState === undefined) {
    return fail('invalid_field', `detail.eventName ${quote(eventName.value)} is not a deployment state (${Object.keys(DEPLOYMENT_EVENT_ROLLOUT_STATES).join(', ')})`);
  }
  const updatedAt = detail['updatedAt'];
  if (updatedAt === undefined) return fail('missing_field', 'detail.updatedAt is missing');
  // toCanonicalTree already turned a valid timestamp into its canonical form.
  if (typeof updatedAt !== 'string' || !isCanonicalIso(updatedAt)) return fail('invalid_field', `detail.updatedAt must be a timestamp, got ${describeType(updatedAt)}`);
  entry['deploymentId'] = deploymentId.value;
  const rollout: DeploymentRollout =
    reason === undefined
      ? { id: deploymentId.value, rolloutState, updatedAt }
      : { id: deploymentId.value, rolloutState, rolloutStateReason: reason, updatedAt };
  return ok({ ...identity, entry: entry as ServiceEventEntry, rollout });
}
