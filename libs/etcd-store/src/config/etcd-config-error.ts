import { EtcdStoreError } from '../errors';

/** An etcd setting in the environment is missing or malformed. */
export class EtcdConfigError extends EtcdStoreError {
  constructor(
    /** The environment variable at fault. */
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}
