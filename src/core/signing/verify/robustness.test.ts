import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.js';
import { createRootCa, issueCertificate, keySigner, signPdf } from '../index.js';
import { samplePdf } from '../testing/pdfs.js';
import { verifyPdfSignatures, type VerificationReport } from './index.js';

/**
 * Damaged input never crashes the validator: random bytes changed, files cut short, junk appended.
 * Each answer is a report (the damaged signature invalid) or a 4xx problem, never another error.
 */

let signed: Uint8Array;
let root: Uint8Array;

beforeAll(async () => {
  const ca = await createRootCa({ commonName: 'Root thử nghiệm', organization: 'LienThong' });
  const cert = await issueCertificate(ca, { kind: 'official', commonName: 'Lê Thị Bền', organization: 'UBND xã Lộc Trì' });
  const signer = keySigner({ privateKey: cert.privateKey, certificates: [cert.certificate, ca.certificate] });
  const once = await signPdf(await samplePdf({ xrefStream: true }), signer, { fieldName: 'A', placement: { invisible: true }, signingTime: new Date() });
  signed = await signPdf(once, signer, { fieldName: 'B', placement: { attachmentCorner: true }, appearance: { lines: ['Số: 1/UBND'] }, signingTime: new Date() });
  root = ca.certificate;
}, 60_000);

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/** The report, or null when the answer is a 4xx problem (anything else fails the test). */
async function outcome(pdf: Uint8Array): Promise<VerificationReport | null> {
  try {
    const report = await verifyPdfSignatures(pdf, { trustedRoots: [root] });
    expect(report.verdict).toMatch(/^Tài liệu /);
    return report;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBeGreaterThanOrEqual(400);
    expect((err as AppError).status).toBeLessThan(500);
    return null;
  }
}

describe('damaged files', () => {
  it('the intact file has two valid signatures', async () => {
    const report = await verifyPdfSignatures(signed, { trustedRoots: [root] });
    expect(report.signatures.map((s) => s.integrity)).toEqual(['valid', 'valid']);
    expect(report.valid).toBe(true);
  });

  it('150 files with random bytes changed: a report or a 4xx, and no signature over the changed byte stays valid', async () => {
    const ranges = [...Buffer.from(signed).toString('latin1').matchAll(/\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/g)].map((m) => m.slice(1).map(Number));
    expect(ranges).toHaveLength(2);
    const next = random(42);
    let reports = 0;
    for (let i = 0; i < 150; i++) {
      const copy = new Uint8Array(signed);
      const at = Math.floor(next() * copy.length);
      copy[at] = (copy[at] + 1 + Math.floor(next() * 255)) % 256;
      const report = await outcome(copy);
      if (report === null) continue;
      reports++;
      ranges.forEach(([b, c, d], index) => {
        const covered = at < b || (at >= c && at < c + d);
        const sig = report.signatures.find((s) => s.fieldName === ['A', 'B'][index]);
        if (covered && sig) expect(sig.integrity, `byte ${at} changed, signature ${sig.fieldName}`).toBe('invalid');
        if (covered) expect(report.valid).toBe(false);
      });
    }
    expect(reports).toBeGreaterThan(50);
  });

  it('files cut short and files with junk appended', async () => {
    const next = random(7);
    for (let i = 0; i < 40; i++) await outcome(signed.subarray(0, Math.floor(next() * signed.length)));
    const junk = new Uint8Array(Buffer.concat([Buffer.from(signed), Buffer.from('\n1 0 obj << /Type /Catalog >> endobj\nstartxref\n12\n%%EOF')]));
    const report = await verifyPdfSignatures(junk, { trustedRoots: [root] });
    expect(report.signatures.every((s) => s.coversWholeDocument === false)).toBe(true);
    expect(report.valid).toBe(false);
  });
});
