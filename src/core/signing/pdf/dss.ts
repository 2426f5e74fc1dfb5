import { createHash } from 'node:crypto';
import { decodePDFRawStream, PDFArray, PDFName, PDFRawStream, PDFRef, PDFStream } from 'pdf-lib';
import { IncrementalPdf } from './incremental.js';

/**
 * The Document Security Store (ISO 32000-2 §12.8.4.3, ETSI EN 319 142-1 §5.4): certificates, CRLs
 * and OCSP responses a validator needs later, when the CA's services may be gone — PAdES B-LT
 * once the signer's chain and revocation data are in. Appended as an incremental update, which
 * every DocMDP level permits. Items already in the store are not added twice. No /VRI: it is
 * optional, and validators look the data up by certificate, not by signature.
 */
export type ValidationData = { certificates: Uint8Array[]; crls?: Uint8Array[]; ocsps?: Uint8Array[] };

const KEYS = { certificates: 'Certs', crls: 'CRLs', ocsps: 'OCSPs' } as const;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function streamBytes(update: IncrementalPdf, ref: unknown): Uint8Array | null {
  const obj = update.context.lookup(ref as PDFRef);
  if (obj instanceof PDFRawStream) {
    try {
      return decodePDFRawStream(obj).decode();
    } catch {
      return null;
    }
  }
  return obj instanceof PDFStream ? obj.getContents() : null;
}

export async function addValidationData(pdf: Uint8Array, input: ValidationData): Promise<Uint8Array> {
  const update = await IncrementalPdf.open(pdf);
  const current = update.catalog.get(PDFName.of('DSS'));
  const existing = update.lookupDict(current);
  const known = new Map<string, Set<string>>();
  for (const key of Object.values(KEYS)) {
    const array = existing ? update.context.lookup(existing.get(PDFName.of(key))) : undefined;
    const hashes = new Set<string>();
    if (array instanceof PDFArray) for (const item of array.asArray()) {
      const bytes = streamBytes(update, item);
      if (bytes) hashes.add(sha(bytes));
    }
    known.set(key, hashes);
  }
  const additions: [key: string, items: Uint8Array[]][] = [];
  for (const [field, key] of Object.entries(KEYS) as [keyof typeof KEYS, string][]) {
    const hashes = known.get(key)!;
    const items = (input[field] ?? []).filter((b) => {
      const h = sha(b);
      if (hashes.has(h)) return false;
      hashes.add(h);
      return true;
    });
    if (items.length > 0) additions.push([key, items]);
  }
  if (additions.length === 0) return pdf;
  const dss = update.editableDict(update.catalog, 'DSS');
  if (!(current instanceof PDFRef)) update.touch(update.catalogRef);
  if (!dss.get(PDFName.of('Type'))) dss.set(PDFName.of('Type'), PDFName.of('DSS'));
  for (const [key, items] of additions) {
    const array = update.editableArray(dss, key);
    for (const bytes of items) array.push(update.register(update.context.flateStream(bytes)));
  }
  return (await update.save()).bytes;
}

/** The DER items of the DSS (tests, and the validator's agreement checks). */
export async function readValidationData(pdf: Uint8Array): Promise<{ certificates: Uint8Array[]; crls: Uint8Array[]; ocsps: Uint8Array[] }> {
  const update = await IncrementalPdf.open(pdf);
  const dss = update.lookupDict(update.catalog.get(PDFName.of('DSS')));
  const read = (key: string) => {
    const array = dss ? update.context.lookup(dss.get(PDFName.of(key))) : undefined;
    const out: Uint8Array[] = [];
    if (array instanceof PDFArray) for (const item of array.asArray()) {
      const bytes = streamBytes(update, item);
      if (bytes) out.push(bytes);
    }
    return out;
  };
  return { certificates: read('Certs'), crls: read('CRLs'), ocsps: read('OCSPs') };
}
