import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from '../aws/aws-error';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** A role session the simulated STS handed out. */
export interface AssumedRole {
  readonly accessKeyId: string;
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly externalId?: string;
  /** Access key of the credentials that asked for it. */
  readonly callerAccessKeyId?: string;
  readonly expiration: Date;
}

/**
 * The part of AWS STS that assuming a role needs, in its query protocol (form-encoded
 * `Action=…` requests, XML answers): AssumeRole and GetCallerIdentity. Any role is
 * granted; what the simulator keeps is who got which credentials, so a test can tell
 * which role signed each later call.
 */
export class StsService {
  private readonly sessions = new Map<string, AssumedRole>();

  constructor(
    private readonly accountId: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Every session handed out, oldest first. */
  assumedRoles(): AssumedRole[] {
    return [...this.sessions.values()];
  }

  /** The session an access key belongs to; undefined for keys STS did not issue. */
  sessionOf(accessKeyId: string): AssumedRole | undefined {
    return this.sessions.get(accessKeyId);
  }

  /** Answers one call: the XML body, or throws an AwsError. */
  handle(action: string, params: URLSearchParams, callerAccessKeyId: string | undefined): string {
    switch (action) {
      case 'AssumeRole':
        return this.assumeRole(params, callerAccessKeyId);
      case 'GetCallerIdentity':
        return this.callerIdentity(callerAccessKeyId);
      default:
        throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`, 400);
    }
  }

  private assumeRole(params: URLSearchParams, callerAccessKeyId: string | undefined): string {
    const roleArn = params.get('RoleArn') ?? '';
    const sessionName = params.get('RoleSessionName') ?? '';
    const externalId = params.get('ExternalId') ?? undefined;
    const duration = Number(params.get('DurationSeconds') ?? '3600');
    const role = ROLE_ARN.exec(roleArn);
    if (!role) throw new AwsError('ValidationError', `${roleArn} is invalid`, 400);
    if (!SESSION_NAME.test(sessionName)) throw new AwsError('ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint`, 400);
    if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) throw new AwsError('ValidationError', `Value '${externalId}' at 'externalId' failed to satisfy constraint`, 400);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
      throw new AwsError('ValidationError', `Value '${duration}' at 'durationSeconds' failed to satisfy constraint`, 400);
    }
    const [, partition, account, , roleName] = role;
    const session: AssumedRole = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      roleArn,
      roleSessionName: sessionName,
      ...(externalId === undefined ? {} : { externalId }),
      ...(callerAccessKeyId === undefined ? {} : { callerAccessKeyId }),
      expiration: new Date(this.clock() + duration * 1000),
    };
    this.sessions.set(session.accessKeyId, session);
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    return response(
      'AssumeRole',
      `<AssumedRoleUser><Arn>arn:${partition}:sts::${account}:assumed-role/${escape(roleName ?? '')}/${escape(sessionName)}</Arn>` +
        `<AssumedRoleId>${roleId}:${escape(sessionName)}</AssumedRoleId></AssumedRoleUser>` +
        `<Credentials><AccessKeyId>${session.accessKeyId}</AccessKeyId><SecretAccessKey>${randomBytes(20).toString('base64')}</SecretAccessKey>` +
        `<SessionToken>${randomBytes(32).toString('base64')}</SessionToken><Expiration>${session.expiration.toISOString()}</Expiration></Credentials>`,
    );
  }

  private callerIdentity(callerAccessKeyId: string | undefined): string {
    const session = callerAccessKeyId === undefined ? undefined : this.sessions.get(callerAccessKeyId);
    const role = session === undefined ? undefined : ROLE_ARN.exec(session.roleArn);
    if (session === undefined || role === null || role === undefined) {
      return response('GetCallerIdentity', `<Arn>arn:aws:iam::${this.accountId}:user/simulator</Arn><UserId>AIDASIMULATOR</UserId><Account>${this.accountId}</Account>`);
    }
    const [, partition, account, , roleName] = role;
    return response(
      'GetCallerIdentity',
      `<Arn>arn:${partition}:sts::${account}:assumed-role/${escape(roleName ?? '')}/${escape(session.roleSessionName)}</Arn>` +
        `<UserId>AROASIMULATOR:${escape(session.roleSessionName)}</UserId><Account>${account}</Account>`,
    );
  }
}

/** The query protocol's error body. */
export function stsErrorBody(error: AwsError): string {
  const type = error.statusCode >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${escape(error.code)}</Code><Message>${escape(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function response(action: string, result: string): string {
  return `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
