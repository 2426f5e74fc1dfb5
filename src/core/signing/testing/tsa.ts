import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A local RFC 3161 time-stamp authority for tests: `openssl ts -reply` with a throw-away root and
 * TSA certificate (extendedKeyUsage critical timeStamping) made by `openssl`, behind a tiny
 * node:http server. Start it in a test, stop it with close().
 */
export type TestTsa = {
  /** POST application/timestamp-query here. */
  url: string;
  /** PEM file of the TSA's root (for `openssl ts -verify -CAfile`). */
  caCertificate: string;
  /** The root as DER (for a validator's trusted roots). */
  caCertificateDer: Uint8Array;
  /** PEM file of the TSA's own certificate. */
  tsaCertificate: string;
  /** Requests answered so far. */
  requests(): number;
  close(): Promise<void>;
};

const exec = promisify(execFile);

async function openssl(args: string[], cwd: string): Promise<void> {
  await exec('openssl', args, { cwd });
}

export async function startTestTsa(options: { commonName?: string } = {}): Promise<TestTsa> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-tsa-'));
  const cn = options.commonName ?? 'LienThong Test TSA';
  fs.writeFileSync(
    path.join(dir, 'ext.cnf'),
    ['[tsa]', 'basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature,nonRepudiation', 'extendedKeyUsage = critical,timeStamping',
      'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid', ''].join('\n'),
  );
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3650', '-subj', `/C=VN/O=LienThong tests/CN=${cn} Root`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', `/C=VN/O=LienThong tests/CN=${cn}`], dir);
  await openssl(['x509', '-req', '-in', 'tsa.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'tsa.pem', '-days', '3650', '-sha256', '-extfile', 'ext.cnf', '-extensions', 'tsa'], dir);
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  fs.writeFileSync(
    path.join(dir, 'tsa.cnf'),
    [
      '[ tsa ]', 'default_tsa = tsa_config', '', '[ tsa_config ]', `dir = ${dir}`, 'serial = $dir/serial', 'crypto_device = builtin',
      'signer_cert = $dir/tsa.pem', 'certs = $dir/root.pem', 'signer_key = $dir/tsa.key', 'signer_digest = sha256',
      'default_policy = 1.3.6.1.4.1.99999.1.1', 'digests = sha256, sha384, sha512', 'accuracy = secs:1', 'ordering = yes',
      'tsa_name = yes', 'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
    ].join('\n'),
  );
  let count = 0;
  let seq = 0;
  let replies: Promise<void> = Promise.resolve();
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = ++seq;
      const query = path.join(dir, `q${id}.tsq`);
      const reply = path.join(dir, `r${id}.tsr`);
      fs.writeFileSync(query, Buffer.concat(chunks));
      // One `openssl ts -reply` at a time: each reads and rewrites the serial file, and two at once (a client's
      // retry while the first request still runs, on a loaded machine) make one answer "system error" (status 2).
      replies = replies.then(
        () =>
          new Promise<void>((done) => {
            execFile('openssl', ['ts', '-reply', '-config', path.join(dir, 'tsa.cnf'), '-queryfile', query, '-out', reply], (err) => {
              if (err) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
              else {
                count++;
                res.writeHead(200, { 'content-type': 'application/timestamp-reply', connection: 'close' }).end(fs.readFileSync(reply));
              }
              fs.rmSync(query, { force: true });
              fs.rmSync(reply, { force: true });
              done();
            });
          }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const pem = fs.readFileSync(path.join(dir, 'root.pem'), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caCertificate: path.join(dir, 'root.pem'),
    caCertificateDer: new Uint8Array(der),
    tsaCertificate: path.join(dir, 'tsa.pem'),
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
