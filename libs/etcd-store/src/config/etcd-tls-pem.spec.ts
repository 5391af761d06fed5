import { rootCertificates } from 'node:tls';
import { createEtcdClient } from './create-etcd-client';
import { loadEtcdConfig } from './etcd-config';
import { EtcdConfigError } from './etcd-config-error';

const CA = rootCertificates[0] as string;
// PEM framing around bytes that are no certificate or key: the config accepts its shape, the client refuses it.
const BOGUS_CERT = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----';
const BOGUS_KEY = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----';

describe('TLS material as PEM text (ETCD_TLS_CA, ETCD_TLS_CERT, ETCD_TLS_KEY)', () => {
  it('is read from the environment, as ECS sets it from Secrets Manager', () => {
    const config = loadEtcdConfig({ ETCD_ENDPOINTS: 'https://a:2379', ETCD_TLS_CA: CA, ETCD_TLS_CERT: BOGUS_CERT, ETCD_TLS_KEY: BOGUS_KEY });
    expect(config.tls).toEqual({ caPem: CA, certPem: BOGUS_CERT, keyPem: BOGUS_KEY });
  });

  it('builds a client verifying the server with the CA given as text', () => {
    createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: 'https://a:2379', ETCD_TLS_CA: CA })).close();
  });

  it('hands the text to the client, which refuses a certificate and key that are not real, naming the TLS variables', () => {
    const config = loadEtcdConfig({ ETCD_ENDPOINTS: 'https://a:2379', ETCD_TLS_CA: CA, ETCD_TLS_CERT: BOGUS_CERT, ETCD_TLS_KEY: BOGUS_KEY });
    expect(() => createEtcdClient(config)).toThrow(EtcdConfigError);
  });

  it('is checked once, at start: not PEM, set with its file variable, certificate without key, or over plain http', () => {
    expect(() => loadEtcdConfig({ ETCD_ENDPOINTS: 'https://a:2379', ETCD_TLS_CA: 'not pem' })).toThrow(/^ETCD_TLS_CA: must be PEM text/);
    expect(() => loadEtcdConfig({ ETCD_ENDPOINTS: 'https://a:2379', ETCD_TLS_CA: CA, ETCD_TLS_CA_FILE: '/etc/ca.pem' })).toThrow(/^ETCD_TLS_CA: and ETCD_TLS_CA_FILE are both set/);
    expect(() => loadEtcdConfig({ ETCD_ENDPOINTS: 'https://a:2379', ETCD_TLS_CERT: BOGUS_CERT })).toThrow(/^ETCD_TLS_KEY: is required when ETCD_TLS_CERT is set/);
    expect(() => loadEtcdConfig({ ETCD_ENDPOINTS: 'https://a:2379', ETCD_TLS_KEY: BOGUS_KEY })).toThrow(/^ETCD_TLS_CERT: is required when ETCD_TLS_KEY is set/);
    expect(() => loadEtcdConfig({ ETCD_ENDPOINTS: 'http://a:2379', ETCD_TLS_CA: CA })).toThrow(/^ETCD_ENDPOINTS: TLS files are set/);
  });

  it('mixes with files: the client certificate from text, the CA from a file', () => {
    const config = loadEtcdConfig({ ETCD_ENDPOINTS: 'https://a:2379', ETCD_TLS_CA_FILE: '/etc/ca.pem', ETCD_TLS_CERT: BOGUS_CERT, ETCD_TLS_KEY: BOGUS_KEY });
    expect(config.tls).toEqual({ caFile: '/etc/ca.pem', certPem: BOGUS_CERT, keyPem: BOGUS_KEY });
  });
});
