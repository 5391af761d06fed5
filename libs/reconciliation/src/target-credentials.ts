import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ReconcileTargetConfig } from './target-config';

export type EcsCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface TargetCredentialsOptions {
  /**
   * The service's own credentials: what a target without role or profile uses, and what
   * assumes a target's role. Absent: the SDK's default provider chain (environment,
   * shared files, the ECS task role, ...).
   */
  base?: EcsCredentials;
  /** Session name of assumed roles, as CloudTrail shows it. */
  sessionName?: string;
}

/**
 * The credentials of one target's ECS client: its role assumed through STS (in the
 * target's region, renewed before they expire), its named profile, or the service's own.
 */
export function targetCredentials(target: ReconcileTargetConfig, options: TargetCredentialsOptions = {}): EcsCredentials | undefined {
  if (target.roleArn !== undefined) {
    return fromTemporaryCredentials({
      params: {
        RoleArn: target.roleArn,
        RoleSessionName: options.sessionName ?? 'ecs-state-reconciler',
        ...(target.externalId === undefined ? {} : { ExternalId: target.externalId }),
      },
      ...(options.base === undefined ? {} : { masterCredentials: options.base }),
      clientConfig: { region: target.region },
    });
  }
  if (target.profile !== undefined) return fromIni({ profile: target.profile });
  return options.base;
}
