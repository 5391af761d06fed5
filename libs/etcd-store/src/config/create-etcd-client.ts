import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Etcd3, type IOptions } from 'etcd3';
import { registerReceiveLimit } from '../client-receive-limit';
import { EtcdConfigError } from './etcd-config-error';
import { ETCD_DEFAULTS, ETCD_ENV, type EtcdConfig } from './etcd-config';
import { etcdFaultHandling } from './fault-handling';

/** The settings without those of the status monitor, which a connection does not use; the receive limit defaults to ETCD_DEFAULTS'. */
export type EtcdConnectionConfig = Omit<EtcdConfig, 'quotaBackendBytes' | 'statusIntervalMs' | 'maxReceiveBytes'> & { readonly maxReceiveBytes?: number };

/** An etcd client for `config`. Reads the TLS files now so a bad path fails at start-up. */
export function createEtcdClient(config: EtcdConnectionConfig): Etcd3 {
  const maxReceiveBytes = config.maxReceiveBytes ?? ETCD_DEFAULTS.maxReceiveBytes;
  const options: IOptions = {
    hosts: [...config.endpoints],
    dialTimeout: config.dialTimeoutMs,
    // Streams (watches) live indefinitely; only unary calls get a deadline.
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + config.requestTimeoutMs }),
    faultHandling: etcdFaultHandling(),
    grpcOptions: {
      // Detects a silently dead connection (no RST), so watches reconnect.
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.max_receive_message_length': maxReceiveBytes,
    },
  };
  if (config.tls) {
    const { caFile, certFile, keyFile, caPem, certPem, keyPem } = config.tls;
    const certChain = certPem !== undefined ? Buffer.from(certPem) : certFile ? readTlsFile(ETCD_ENV.tlsCertFile, certFile) : undefined;
    const privateKey = keyPem !== undefined ? Buffer.from(keyPem) : keyFile ? readTlsFile(ETCD_ENV.tlsKeyFile, keyFile) : undefined;
    options.credentials = {
      rootCertificate: caPem !== undefined ? Buffer.from(caPem) : caFile ? readTlsFile(ETCD_ENV.tlsCaFile, caFile) : systemRoots(),
      ...(certChain ? { certChain } : {}),
      ...(privateKey ? { privateKey } : {}),
    };
  }
  if (config.auth) options.auth = { username: config.auth.username, password: config.auth.password };
  let client: Etcd3;
  try {
    client = new Etcd3(options);
  } catch (error) {
    // The client parses the PEM data while it is constructed.
    if (config.tls) {
      const variables = [ETCD_ENV.tlsCaFile, ETCD_ENV.tlsCertFile, ETCD_ENV.tlsKeyFile].join(', ');
      throw new EtcdConfigError(variables, `TLS files are not valid PEM: ${error instanceof Error ? error.message : String(error)}`);
    }
    throw error;
  }
  registerReceiveLimit(client, maxReceiveBytes);
  return client;
}

function readTlsFile(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new EtcdConfigError(variable, `cannot read "${path}": ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The client's credentials API wants explicit roots even when only a client certificate is configured. */
function systemRoots(): Buffer {
  return Buffer.from(rootCertificates.join('\n'));
}
