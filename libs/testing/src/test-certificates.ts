import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key: the files, and their PEM text. */
export interface CertificatePair {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/** A throwaway CA and what it signed, made by `openssl` for one test run. */
export interface TestCertificates {
  /** The CA's certificate: the file, and its PEM text. */
  caFile: string;
  ca: string;
  /** A server certificate naming only the DNS names asked for (no IP address). */
  server: CertificatePair;
  /** A client certificate, for nodes that require one (`tls-auth-clients yes`). */
  client: CertificatePair;
  /** Removes the files. */
  dispose(): void;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Makes a CA, a server certificate for `serverNames` (DNS names only, so that dialling an IP
 * address fails the name check unless the client names the server), and a client certificate, in
 * a private temp directory. Needs `openssl` on `PATH`.
 *
 * @example
 * const certs = createTestCertificates(['redis.test']);
 * // tls-cert-file certs.server.certFile, tls-key-file certs.server.keyFile, tls-ca-cert-file certs.caFile
 * certs.dispose();
 */
export function createTestCertificates(serverNames: readonly string[]): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-kit-tls-'));
  const file = (name: string) => join(dir, name);
  const days = ['-days', '2'];
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    ...days,
    '-subj',
    '/CN=sentinel-kit test CA',
  ]);
  const sign = (name: string, subject: string, extensions: string): CertificatePair => {
    writeFileSync(file(`${name}.ext`), `${extensions}\n`);
    openssl([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
      '-subj',
      subject,
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-out',
      file(`${name}.crt`),
      ...days,
      '-extfile',
      file(`${name}.ext`),
    ]);
    return {
      certFile: file(`${name}.crt`),
      keyFile: file(`${name}.key`),
      cert: readFileSync(file(`${name}.crt`), 'utf8'),
      key: readFileSync(file(`${name}.key`), 'utf8'),
    };
  };
  try {
    const server = sign(
      'server',
      `/CN=${serverNames[0]}`,
      `subjectAltName=${serverNames.map((name) => `DNS:${name}`).join(',')}\nextendedKeyUsage=serverAuth`,
    );
    const client = sign('client', '/CN=sentinel-kit test client', 'extendedKeyUsage=clientAuth');
    return {
      caFile: file('ca.crt'),
      ca: readFileSync(file('ca.crt'), 'utf8'),
      server,
      client,
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * `redis.conf` lines that add a TLS port beside the plain one (which the harness keeps using),
 * with `certs`' server certificate; clients must show a certificate when `requireClientCert`.
 */
export function tlsConfigLines(certs: TestCertificates, tlsPort: number, requireClientCert = false): string[] {
  return [
    `tls-port ${tlsPort}`,
    `tls-cert-file ${certs.server.certFile}`,
    `tls-key-file ${certs.server.keyFile}`,
    `tls-ca-cert-file ${certs.caFile}`,
    `tls-auth-clients ${requireClientCert ? 'yes' : 'no'}`,
  ];
}
