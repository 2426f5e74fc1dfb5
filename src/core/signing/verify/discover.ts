import * as pkijs from 'pkijs';
import { basicOcsp } from './cms.js';
import { certificateFromDer, crlFromDer, der as asDer } from './crypto.js';
import { decodeStream, type PdfFile, type PdfView } from './pdf-file.js';
import { decodeTextString, nameOf, PdfRef, PdfStream, PdfString, type PdfDict, type PdfValue } from './pdf-syntax.js';
import { collectRoles, type FieldRole } from './roles.js';

/**
 * Finds the signatures of a PDF — the signed signature fields of every revision, so that a signature
 * whose field was removed by a later update is still reported — and reads the document security
 * store (DSS) with the certificates and revocation data added for long-term validation.
 */

export type FoundSignature = {
  fieldName: string;
  dict: PdfDict;
  /** Object number of the signature dictionary (null when it sits directly in the field). */
  dictNum: number | null;
  /** Offset of the object holding /Contents when it is stored uncompressed in the file. */
  objectOffset: number | null;
  /** Still a field of the last revision's form. */
  inFinalForm: boolean;
  byteRange: number[] | null;
  /** The signature dictionary could not be read. */
  broken: boolean;
};

export function findSignatures(file: PdfFile): FoundSignature[] {
  const found = new Map<string, FoundSignature>();
  const ends = [...file.sections.slice(1).map((s) => s.offset), Infinity];
  ends.forEach((end, i) => {
    const view = file.view(end);
    const final = i === ends.length - 1;
    let fields: Map<number, FieldRole>;
    try {
      fields = signatureFields(view);
    } catch {
      return; // An unreadable revision hides no signature the others do not show.
    }
    for (const [num, field] of fields) {
      const fieldDict = view.dict(view.get(num));
      const v = fieldDict?.get('V') ?? view.dict(fieldDict?.get('Parent'))?.get('V');
      if (v === undefined || v === null) continue;
      // A value that cannot be read is a broken signature, reported as such.
      const dict = view.dict(v) ?? new Map();
      const dictNum = v instanceof PdfRef ? v.num : null;
      const byteRange = readByteRange(view, dict);
      const key = dictNum !== null ? `o${dictNum}:${byteRange?.join(',')}` : `f${num}:${byteRange?.join(',')}`;
      const known = found.get(key);
      if (known) {
        if (final) known.inFinalForm = true;
        continue;
      }
      found.set(key, {
        fieldName: field.name,
        dict,
        dictNum,
        objectOffset: file.offsetOf(dictNum ?? num, view) ?? null,
        inFinalForm: final,
        byteRange,
        broken: dict.size === 0,
      });
    }
  });
  // Signing order: by where each signed revision ends.
  return [...found.values()].sort((a, b) => (a.byteRange ? a.byteRange[2] + a.byteRange[3] : 0) - (b.byteRange ? b.byteRange[2] + b.byteRange[3] : 0));
}

/** Signature fields of a revision (from the form, and widgets found only on pages). */
function signatureFields(view: PdfView): Map<number, FieldRole> {
  const out = new Map<number, FieldRole>();
  for (const [num, field] of collectRoles(view).fields) if (field.type === 'Sig') out.set(num, field);
  return out;
}

function readByteRange(view: PdfView, dict: PdfDict): number[] | null {
  const value = view.resolve(dict.get('ByteRange'));
  if (!Array.isArray(value) || value.length !== 4) return null;
  const numbers = value.map((v) => view.resolve(v));
  return numbers.every((n): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0) ? numbers : null;
}

/** A text string entry of a dictionary, decoded (null when absent or not a string). */
export function textEntry(view: PdfView, dict: PdfDict, key: string): string | null {
  const value = view.resolve(dict.get(key));
  return value instanceof PdfString ? decodeTextString(value) : null;
}

/** DocMDP permissions of a signature: from /Reference, or from the catalog's /Perms /DocMDP. */
export function docMdpOf(view: PdfView, signature: FoundSignature): 1 | 2 | 3 | null {
  const perms = view.dict(view.root?.get('Perms'));
  const certifying = perms?.get('DocMDP');
  const isCertifying = certifying instanceof PdfRef && certifying.num === signature.dictNum;
  for (const ref of view.array(signature.dict.get('Reference'))) {
    const reference = view.dict(ref);
    if (nameOf(view.resolve(reference?.get('TransformMethod'))) !== 'DocMDP') continue;
    const p = view.resolve(view.dict(reference?.get('TransformParams'))?.get('P'));
    return p === 1 || p === 3 ? p : 2;
  }
  return isCertifying ? 2 : null;
}

export type Dss = {
  certificates: pkijs.Certificate[];
  crls: pkijs.CertificateRevocationList[];
  ocsps: pkijs.BasicOCSPResponse[];
  present: boolean;
};

/** The document security store of a revision (ISO 32000-2 §12.8.4.3); unreadable entries are skipped. */
export function readDss(view: PdfView): Dss {
  const memo = view.memo.get('dss') as Dss | undefined;
  if (memo) return memo;
  const dss: Dss = { certificates: [], crls: [], ocsps: [], present: false };
  view.memo.set('dss', dss);
  let dict: PdfDict | undefined;
  try {
    dict = view.dict(view.root?.get('DSS'));
  } catch {
    return dss;
  }
  if (!dict) return dss;
  dss.present = true;
  const streams = (key: string): Uint8Array[] =>
    view.array(dict.get(key)).flatMap((ref: PdfValue) => {
      const stream = view.resolve(ref);
      if (!(stream instanceof PdfStream)) return [];
      try {
        return [decodeStream(stream, view)];
      } catch {
        return [];
      }
    });
  for (const der of streams('Certs')) tryPush(dss.certificates, () => certificateFromDer(der));
  for (const der of streams('CRLs')) tryPush(dss.crls, () => crlFromDer(der));
  for (const der of streams('OCSPs')) tryPush(dss.ocsps, () => basicOcsp(pkijs.OCSPResponse.fromBER(asDer(der))));
  return dss;
}

function tryPush<T>(list: T[], parse: () => T | null): void {
  try {
    const value = parse();
    if (value) list.push(value);
  } catch {
    // Skipped: one unreadable entry of the DSS.
  }
}
