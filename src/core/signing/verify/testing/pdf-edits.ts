import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { mustRun } from '../../testing/tools.js';
import { PdfFile } from '../pdf-file.js';
import { PdfName, PdfRef, PdfStream, PdfString as Str, type PdfDict, type PdfValue } from '../pdf-syntax.js';
import { collectRoles } from '../roles.js';
import { type OpensslPki, type Party } from './openssl-pki.js';

/**
 * Test-only PDF surgery for the validator's corpus: incremental updates written by hand (a new
 * page content, a filled form field, an annotation, a DSS), one-byte tampering, and signatures whose
 * CMS comes from `openssl cms` / `openssl ts` (ETSI.CAdES.detached, certification, document time-stamps).
 */

/** A one-page PDF (classic xref, or xref stream + object streams) with an optional text field "So". */
export async function basePdf(options: { xrefStream?: boolean; textField?: boolean; pages?: number } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (options.pages ?? 1); i++) {
    doc.addPage([595, 842]).drawText(`Quyet dinh so 12/QD-UBND, trang ${i + 1}`, { x: 50, y: 760, size: 16, font });
  }
  if (options.textField) {
    const field = doc.context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Tx', T: PDFString.of('So'), Rect: [50, 700, 250, 720], F: 4, P: doc.getPage(0).ref, DA: PDFString.of('/Helv 12 Tf 0 g') });
    const ref = doc.context.register(field);
    doc.getPage(0).node.set(PDFName.of('Annots'), doc.context.obj([ref]));
    doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [ref] }));
  }
  return doc.save({ useObjectStreams: options.xrefStream ?? false });
}

export function serialize(value: PdfValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (value instanceof PdfName) return `/${value.name.replace(/[^A-Za-z0-9._-]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
  if (value instanceof PdfRef) return `${value.num} ${value.gen} R`;
  if (value instanceof Str) return `<${Buffer.from(value.bytes).toString('hex')}>`;
  if (Array.isArray(value)) return `[${value.map(serialize).join(' ')}]`;
  if (value instanceof PdfStream) throw new Error('streams are written by hand');
  return `<<${[...value].map(([k, v]) => `/${k} ${serialize(v)}`).join(' ')}>>`;
}

/** A PDF text string (UTF-16BE with BOM) as a hex literal. */
export const text = (s: string) => {
  const b = Buffer.from(`\ufeff${s}`, 'utf16le');
  b.swap16();
  return `<${b.toString('hex')}>`;
};

export const stream = (dict: string, data: Uint8Array | string) =>
  Buffer.concat([Buffer.from(`<< ${dict} /Length ${Buffer.byteLength(data)} >>\nstream\n`, 'latin1'), Buffer.from(data), Buffer.from('\nendstream', 'latin1')]);

/** Appends objects (number → body) as an incremental update with a classic cross-reference table. */
export function appendUpdate(pdf: Uint8Array, objects: Map<number, string | Uint8Array>): Uint8Array {
  const file = new PdfFile(pdf);
  const trailer = file.view().trailer;
  const prev = Buffer.from(pdf).lastIndexOf('startxref');
  const prevOffset = Number(/startxref\s+(\d+)/.exec(Buffer.from(pdf.subarray(prev)).toString('latin1'))![1]);
  const chunks: Buffer[] = [Buffer.from(pdf), Buffer.from('\n')];
  let offset = pdf.length + 1;
  const offsets = new Map<number, number>();
  for (const [num, body] of [...objects].sort((a, b) => a[0] - b[0])) {
    const bytes = Buffer.concat([Buffer.from(`${num} 0 obj\n`), Buffer.from(body as Uint8Array | string), Buffer.from('\nendobj\n')]);
    offsets.set(num, offset);
    chunks.push(bytes);
    offset += bytes.length;
  }
  const size = Math.max(Number(trailer.get('Size') ?? 0), ...[...objects.keys()].map((n) => n + 1));
  let xref = 'xref\n';
  for (const [num, at] of [...offsets].sort((a, b) => a[0] - b[0])) xref += `${num} 1\n${String(at).padStart(10, '0')} 00000 n \n`;
  const info = trailer.get('Info');
  xref += `trailer\n<< /Size ${size} /Root ${serialize(trailer.get('Root'))}${info ? ` /Info ${serialize(info)}` : ''} /Prev ${prevOffset} >>\nstartxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}

type Ctx = { file: PdfFile; size: number; rootNum: number; root: PdfDict; firstPage: number; page: PdfDict };

function context(pdf: Uint8Array): Ctx {
  const file = new PdfFile(pdf);
  const view = file.view();
  const roles = collectRoles(view);
  const firstPage = [...roles.pages.keys()][0];
  return { file, size: Number(view.trailer.get('Size')), rootNum: roles.rootNum!, root: view.root!, firstPage, page: view.dict(view.get(firstPage))! };
}

/** Replaces page 1's content by an incremental update (a change no signature permits). */
export function replacePageContent(pdf: Uint8Array, content: string): Uint8Array {
  const ctx = context(pdf);
  const page = new Map(ctx.page);
  page.set('Contents', new PdfRef(ctx.size, 0));
  return appendUpdate(pdf, new Map<number, string | Uint8Array>([[ctx.size, stream('', content)], [ctx.firstPage, serialize(page)]]));
}

/** Fills the text field "So" (form filling: permitted by approval signatures and DocMDP P=2/3). */
export function fillTextField(pdf: Uint8Array, value: string): Uint8Array {
  const ctx = context(pdf);
  const view = ctx.file.view();
  const fields = view.array(view.dict(ctx.root.get('AcroForm'))?.get('Fields'));
  const ref = fields.find((f) => f instanceof PdfRef && view.dict(f)?.get('FT') instanceof PdfName && (view.dict(f)!.get('FT') as PdfName).name === 'Tx') as PdfRef;
  const field = new Map(view.dict(ref)!);
  field.set('V', new Str(Buffer.from(value, 'latin1'), false, 0, 0));
  field.set('AP', new Map([['N', new PdfRef(ctx.size, 0)]]));
  const appearance = stream('/Type /XObject /Subtype /Form /BBox [0 0 200 20]', `BT /Helv 12 Tf 2 5 Td (${value}) Tj ET`);
  return appendUpdate(pdf, new Map<number, string | Uint8Array>([[ref.num, serialize(field)], [ctx.size, appearance]]));
}

/** Adds a text annotation (a comment) on page 1. */
export function addAnnotation(pdf: Uint8Array, comment: string): Uint8Array {
  const ctx = context(pdf);
  const view = ctx.file.view();
  const page = new Map(ctx.page);
  page.set('Annots', [...view.array(ctx.page.get('Annots')), new PdfRef(ctx.size, 0)]);
  const annot = `<< /Type /Annot /Subtype /Text /Rect [400 700 420 720] /Contents ${text(comment)} /P ${ctx.firstPage} 0 R >>`;
  return appendUpdate(pdf, new Map<number, string | Uint8Array>([[ctx.size, annot], [ctx.firstPage, serialize(page)]]));
}

/** Adds (or extends) the DSS with certificates and CRLs (PAdES B-LT). */
export function addDss(pdf: Uint8Array, input: { certs: Uint8Array[]; crls: Uint8Array[] }): Uint8Array {
  const ctx = context(pdf);
  const objects = new Map<number, string | Uint8Array>();
  let next = ctx.size;
  const refs = (list: Uint8Array[]) => list.map((der) => (objects.set(next, stream('', der)), `${next++} 0 R`)).join(' ');
  const certs = refs(input.certs);
  const crls = refs(input.crls);
  const dssNum = next++;
  objects.set(dssNum, `<< /Type /DSS /Certs [${certs}] /CRLs [${crls}] >>`);
  const root = new Map(ctx.root);
  root.set('DSS', new PdfRef(dssNum, 0));
  objects.set(ctx.rootNum, serialize(root));
  return appendUpdate(pdf, objects);
}

/** Flips one byte at `at` (inside a signed range: the signature must become invalid). */
export function tamper(pdf: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(pdf);
  copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  return copy;
}

/** D:YYYYMMDDHHmmSS+07'00' */
export function pdfDate(date: Date): string {
  const s = new Date(date.getTime() + 7 * 3600_000).toISOString();
  return `D:${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}+07'00'`;
}

export type OpensslSignOptions = {
  work: string;
  pki: OpensslPki;
  signer?: Party;
  fieldName: string;
  kind: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached' | 'ETSI.RFC3161';
  /** Certification signature with DocMDP P. */
  certify?: 1 | 2 | 3;
  /** Leave out the ESS signing-certificate-v2 attribute (`openssl cms` without -cades). */
  noEss?: boolean;
  signingTime?: string;
  /** Extra certificates for the CMS (PEM file); default the root. */
  certfile?: string;
  /** RSASSA-PSS instead of PKCS#1 v1.5. */
  pss?: boolean;
};

/** Signs with `openssl cms -sign` (or stamps with `openssl ts`) into a new signature field. */
export function opensslSign(pdf: Uint8Array, options: OpensslSignOptions): Uint8Array {
  const ctx = context(pdf);
  const view = ctx.file.view();
  const sigNum = ctx.size;
  const widgetNum = ctx.size + 1;
  const timestamp = options.kind === 'ETSI.RFC3161';
  const placeholder = '0'.repeat(2 * 24_000);
  const reference = options.certify
    ? ` /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${options.certify} /V /1.2 >> >>]`
    : '';
  const sig = `<< /Type /${timestamp ? 'DocTimeStamp' : 'Sig'} /Filter /Adobe.PPKLite /SubFilter /${options.kind} /ByteRange [0 ********** ********** **********] /Contents <${placeholder}>${
    timestamp ? '' : ` /M (${options.signingTime ?? pdfDate(new Date())}) /Reason ${text('Ký ban hành')} /Location ${text('Phú Lộc')}`
  }${reference} >>`;
  const widget = `<< /Type /Annot /Subtype /Widget /FT /Sig /T ${text(options.fieldName)} /V ${sigNum} 0 R /F 132 /Rect [0 0 0 0] /P ${ctx.firstPage} 0 R >>`;
  const page = new Map(ctx.page);
  page.set('Annots', [...view.array(ctx.page.get('Annots')), new PdfRef(widgetNum, 0)]);
  const acroForm = new Map(view.dict(ctx.root.get('AcroForm')) ?? []);
  acroForm.set('Fields', [...view.array(acroForm.get('Fields')), new PdfRef(widgetNum, 0)]);
  acroForm.set('SigFlags', 3);
  const root = new Map(ctx.root);
  root.set('AcroForm', acroForm);
  if (options.certify) root.set('Perms', new Map([['DocMDP', new PdfRef(sigNum, 0)]]));
  const prepared = Buffer.from(
    appendUpdate(pdf, new Map<number, string | Uint8Array>([[sigNum, sig], [widgetNum, widget], [ctx.firstPage, serialize(page)], [ctx.rootNum, serialize(root)]])),
  );
  const sigAt = prepared.lastIndexOf(`${sigNum} 0 obj`);
  const b = prepared.indexOf('/Contents <', sigAt) + 10;
  const c = b + placeholder.length + 2;
  const rangeAt = prepared.indexOf('[0 **********', sigAt);
  prepared.write(`[0 ${[b, c, prepared.length - c].map((n) => String(n).padEnd(10, ' ')).join(' ')}`, rangeAt, 'latin1');
  const data = path.join(options.work, `${options.fieldName}-data.bin`);
  const out = path.join(options.work, `${options.fieldName}.der`);
  fs.writeFileSync(data, Buffer.concat([prepared.subarray(0, b), prepared.subarray(c)]));
  const { pki } = options;
  if (timestamp) {
    const query = path.join(options.work, `${options.fieldName}.tsq`);
    mustRun('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-no_nonce', '-out', query]);
    mustRun('openssl', ['ts', '-reply', '-config', pki.tsConfig, '-queryfile', query, '-signer', pki.tsa.cert, '-inkey', pki.tsa.key, '-chain', pki.root.cert, '-token_out', '-out', out]);
  } else {
    const signer = options.signer ?? pki.official;
    mustRun('openssl', [
      'cms', '-sign', '-binary', '-in', data, '-signer', signer.cert, '-inkey', signer.key, '-certfile', options.certfile ?? pki.root.cert,
      '-outform', 'DER', '-out', out, '-md', 'sha256', '-nosmimecap', ...(options.noEss ? [] : ['-cades']),
      ...(options.pss ? ['-keyopt', 'rsa_padding_mode:pss'] : []),
    ]);
  }
  const cms = fs.readFileSync(out).toString('hex');
  if (cms.length > placeholder.length) throw new Error('CMS larger than the placeholder');
  prepared.write(cms, b + 1, 'latin1');
  return new Uint8Array(prepared);
}

/** `pdfsig -add-signature` (poppler's own signer, adbe.pkcs7.detached) with a key in an NSS database. */
export function pdfsigAddSignature(pdf: Uint8Array, input: { work: string; nssDir: string; nick: string; fieldName: string; reason?: string }): Uint8Array {
  const src = path.join(input.work, `${input.fieldName}-in.pdf`);
  const dst = path.join(input.work, `${input.fieldName}-out.pdf`);
  fs.writeFileSync(src, pdf);
  mustRun('pdfsig', [
    '-add-signature', '-nssdir', `sql:${input.nssDir}`, '-nick', input.nick, '-new-signature-field-name', input.fieldName,
    ...(input.reason ? ['-reason', input.reason] : []), src, dst,
  ]);
  return new Uint8Array(fs.readFileSync(dst));
}

/** A throw-away NSS database holding the keys of `parties` (PKCS#12 import), for pdfsig to sign with. */
export function nssWithKeys(dir: string, pki: OpensslPki, parties: Party[]): string {
  fs.mkdirSync(dir, { recursive: true });
  mustRun('certutil', ['-N', '--empty-password', '-d', `sql:${dir}`]);
  for (const party of parties) mustRun('pk12util', ['-i', party.p12, '-d', `sql:${dir}`, '-W', pki.pin]);
  return dir;
}
