import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/index.js';
import { createCrl, createRootCa, DEFAULT_CRL_URL, issueCertificate, keySigner, readValidationData, signPdf, toPem, verifyPdfSignatures } from '../../core/signing/index.js';
import { samplePdf } from '../../core/signing/testing/pdfs.js';
import { missingToolsReason } from '../../core/signing/testing/tools.js';
import { startTestTsa, type TestTsa } from '../../core/signing/testing/tsa.js';
import { openTestDatabase } from '../../test/harness.js';
import { withValidationData } from './agency.js';
import { toBase64 } from './certificates.js';
import { crlUrlsOf, revocationFetcher } from './revocation.js';
import type { SigningRuntime } from './runtime.js';

/**
 * An outside CA (standing in for the government CA) publishes its CRL over HTTP at the distribution point written in
 * its certificates. Sealing fetches it into the DSS: the sealed PDF reaches PAdES B-LT for that CA's signers, and a
 * revoked certificate is reported as such by the validator from the file alone.
 */

type Root = Awaited<ReturnType<typeof createRootCa>>;
const notBefore = new Date('2025-01-01T00:00:00Z');
let root: Root;
let server: http.Server;
let base: string;
let hits: Record<string, number> = {};
let revoked: string[] = [];
let tsa: TestTsa;
let db: { database: Database; drop(): Promise<void> };
const skipReason = missingToolsReason(['openssl']);

const official = (crlUrl: string, commonName = 'Trần Văn Minh') =>
  issueCertificate(root, { kind: 'official', commonName, title: 'Phó Giám đốc', organization: 'Sở Nội vụ tỉnh Thái Hòa', crlUrl, notBefore, validYears: 10 });

beforeAll(async () => {
  root = await createRootCa({ commonName: 'CA ngoài thử nghiệm', organization: 'Tổ chức cung cấp dịch vụ chứng thực (thử nghiệm)', notBefore, validYears: 30 });
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    hits[url] = (hits[url] ?? 0) + 1;
    // Issued yesterday: a revocation it lists predates the signatures made in the tests (one dated after the
    // signature's time-stamp would rightly not count against it).
    const crl = () => createCrl(root, revoked, { thisUpdate: new Date(Date.now() - 86_400_000) });
    void (async () => {
      if (url === '/ca.crl') res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(Buffer.from(await crl()));
      else if (url === '/ca-pem.crl') res.writeHead(200).end(toPem(await crl(), 'X509 CRL'));
      else if (url === '/not-a-crl') res.writeHead(200).end('<html>Trang bảo trì</html>');
      else res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!skipReason) tsa = await startTestTsa();
  db = await openTestDatabase();
}, 120_000);
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await tsa?.close();
  await db?.database.close();
  await db?.drop();
});

describe('the CRL distribution points of a certificate', () => {
  it('reads the http(s) URL written into a certificate; a root has none; garbage has none', async () => {
    const leaf = await official(`${base}/ca.crl`);
    expect(crlUrlsOf(leaf.certificate)).toEqual([`${base}/ca.crl`]);
    expect(crlUrlsOf(root.certificate)).toEqual([]);
    expect(crlUrlsOf(new Uint8Array([1, 2, 3]))).toEqual([]);
  });
});

describe('revocationFetcher', () => {
  it('fetches the CRL once and serves it from the cache until its next update', async () => {
    hits = {};
    let clock = Date.now();
    const fetcher = revocationFetcher({ now: () => clock });
    const leaf = await official(`${base}/ca.crl`);
    const other = await official(`${base}/ca.crl`, 'Lê Thị Thu');
    const first = await fetcher.crlsFor([leaf.certificate, other.certificate, root.certificate]);
    expect(first).toHaveLength(1); // one distribution point for both
    expect(hits['/ca.crl']).toBe(1);
    expect(await fetcher.crlsFor([leaf.certificate])).toEqual(first);
    expect(hits['/ca.crl']).toBe(1);
    clock += 8 * 24 * 3_600_000; // past the list's nextUpdate (7 days)
    await fetcher.crlsFor([leaf.certificate]);
    expect(hits['/ca.crl']).toBe(2);
  });

  it('accepts PEM, ignores what is not a CRL, a 404 and a closed port; never asks reserved names such as the demo CA’s', async () => {
    hits = {};
    const fetcher = revocationFetcher();
    expect(await fetcher.crlsFor([(await official(`${base}/ca-pem.crl`)).certificate])).toHaveLength(1);
    expect(await fetcher.crlsFor([(await official(`${base}/not-a-crl`)).certificate])).toEqual([]);
    expect(await fetcher.crlsFor([(await official(`${base}/missing.crl`)).certificate])).toEqual([]);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = Date.now();
    expect(await fetcher.crlsFor([(await official(`http://127.0.0.1:${port}/ca.crl`)).certificate])).toEqual([]);
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(await fetcher.crlsFor([(await official(DEFAULT_CRL_URL)).certificate, (await official('http://crl.ca.example/root.crl')).certificate])).toEqual([]);
    expect(hits['/missing.crl']).toBe(1);
    // A failure is remembered for a while: no second request.
    await fetcher.crlsFor([(await official(`${base}/missing.crl`)).certificate]);
    expect(hits['/missing.crl']).toBe(1);
  });
});

describe.skipIf(skipReason)(`sealing with an outside CA's certificate ${skipReason ?? ''}`, () => {
  const runtime = (on: boolean): SigningRuntime => ({ key: null, csc: null, verifyRateLimitPerMinute: 30, revocation: on ? revocationFetcher() : null });
  const tsaCert = () => new Uint8Array(Buffer.from(fs.readFileSync(tsa.tsaCertificate, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'));

  async function sealed(leaf: Awaited<ReturnType<typeof official>>, on: boolean) {
    const signer = keySigner({ privateKey: leaf.privateKey, certificates: [leaf.certificate, root.certificate] });
    const signed = await signPdf(await samplePdf(), signer, { placement: { invisible: true }, signingTime: new Date(), timestampUrl: tsa.url });
    const pdf = await withValidationData(db.database.db, runtime(on), signed, [leaf.certificate, root.certificate, tsaCert(), tsa.caCertificateDer].map(toBase64), new Date());
    return { pdf, report: await verifyPdfSignatures(pdf, { trustedRoots: [root.certificate, tsa.caCertificateDer] }) };
  }

  it('puts the fetched CRL into the DSS: the signature reaches B-LT; without fetching it stays B-T', async () => {
    revoked = [];
    const leaf = await official(`${base}/ca.crl`);
    const withCrl = await sealed(leaf, true);
    expect((await readValidationData(withCrl.pdf)).crls).toHaveLength(1);
    expect(withCrl.report.signatures[0]).toMatchObject({ integrity: 'valid', chain: 'trusted', level: 'B-LT' });
    const without = await sealed(leaf, false);
    expect((await readValidationData(without.pdf)).crls ?? []).toHaveLength(0);
    expect(without.report.signatures[0].level).toBe('B-T');
  });

  it('a certificate the CA revoked before the signature is reported revoked from the file alone', async () => {
    const leaf = await official(`${base}/ca.crl`, 'Phạm Văn Đức');
    revoked = [leaf.serialNumber];
    const { report } = await sealed(leaf, true);
    expect(report.signatures[0].chain).not.toBe('trusted');
    expect(JSON.stringify(report)).toContain('đã bị thu hồi');
  });
});
