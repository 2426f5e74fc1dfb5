import { spawnSync } from 'node:child_process';
import * as asn1js from 'asn1js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toPem } from '../ca.js';

/**
 * Test helpers around the independent tools the signatures must agree with: poppler's pdfsig,
 * qpdf, NSS's certutil/pk12util and OpenSSL 3 (Debian: poppler-utils qpdf libnss3-tools openssl).
 */
export type Tool = 'pdfsig' | 'qpdf' | 'certutil' | 'pk12util' | 'openssl';

const DEBIAN_PACKAGE: Record<Tool, string> = {
  pdfsig: 'poppler-utils',
  qpdf: 'qpdf',
  certutil: 'libnss3-tools',
  pk12util: 'libnss3-tools',
  openssl: 'openssl',
};

export function hasTool(tool: Tool): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, tool)));
}

/**
 * Null when every tool is installed. Otherwise, on CI (CI=true) it throws — a missing tool must fail
 * the run, never skip it silently — and elsewhere returns the reason to skip with.
 */
export function missingToolsReason(tools: Tool[]): string | null {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) return null;
  const packages = [...new Set(missing.map((t) => DEBIAN_PACKAGE[t]))].join(' ');
  const reason = `missing ${missing.join(', ')} (apt-get install -y ${packages})`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI: ${reason}`);
  return reason;
}

export type RunResult = { status: number; stdout: string; stderr: string };

export function run(command: string, args: string[], options: { input?: Uint8Array | string; cwd?: string } = {}): RunResult {
  const result = spawnSync(command, args, { input: options.input, cwd: options.cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
}

/** A temporary directory removed by the returned cleanup. */
export function tempDir(prefix = 'lienthong-sign-'): { dir: string; file(name: string, content?: Uint8Array | string): string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file(name, content) {
      const p = path.join(dir, name);
      if (content !== undefined) fs.writeFileSync(p, content);
      return p;
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A throw-away NSS database trusting `roots` (CT,C,C), for pdfsig and pdfsig -add-signature. */
export function nssDatabase(dir: string, roots: Uint8Array[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const db = `sql:${dir}`;
  mustRun('certutil', ['-N', '--empty-password', '-d', db]);
  roots.forEach((root, i) => {
    const pem = path.join(dir, `root${i}.pem`);
    fs.writeFileSync(pem, toPem(root));
    mustRun('certutil', ['-A', '-d', db, '-n', `root${i}`, '-t', 'CT,C,C', '-a', '-i', pem]);
  });
  return dir;
}

export function mustRun(command: string, args: string[], options: { input?: Uint8Array | string; cwd?: string } = {}): RunResult {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} → ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result;
}

export type PdfsigSignature = { index: number; lines: string[]; signed: boolean; valid: boolean; trusted: boolean; text: string };

/** `pdfsig` on the file: one entry per signature field (signed or not) with poppler's verdicts. */
export function pdfsig(file: string, options: { nssDir?: string } = {}): { status: number; output: string; signatures: PdfsigSignature[] } {
  const args = options.nssDir ? ['-nssdir', `sql:${options.nssDir}`, '-no-ocsp', file] : ['-nocert', '-no-ocsp', file];
  const result = run('pdfsig', args);
  const output = `${result.stdout}${result.stderr}`;
  const signatures = output
    .split(/^Signature #/m)
    .slice(1)
    .map((block, i) => ({
      index: i + 1,
      lines: block.split('\n'),
      text: block,
      signed: !/The signature form field is not signed/.test(block),
      valid: /Signature Validation: Signature is Valid\./.test(block),
      trusted: /Certificate Validation: Certificate is Trusted\./.test(block),
    }));
  return { status: result.status, output, signatures };
}

export type EmbeddedSignature = { byteRange: number[]; cms: Uint8Array; signedContent: Buffer };

/** Every signature of a PDF found by its /ByteRange: the CMS (exact DER length) and the signed bytes. */
export function embeddedSignatures(pdf: Uint8Array): EmbeddedSignature[] {
  const text = Buffer.from(pdf).toString('latin1');
  const out: EmbeddedSignature[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const byteRange = m.slice(1, 5).map(Number);
    const [a, b, c, d] = byteRange;
    const hex = text.slice(a + b + 1, c - 1);
    const bytes = Buffer.from(hex, 'hex');
    out.push({ byteRange, cms: bytes.subarray(0, derLength(bytes)), signedContent: Buffer.concat([Buffer.from(pdf.subarray(a, a + b)), Buffer.from(pdf.subarray(c, c + d))]) });
  }
  return out;
}

/** Length of the BER/DER value at the start of `bytes` (the placeholder's zero padding follows it). */
export function derLength(bytes: Uint8Array): number {
  const parsed = asn1js.fromBER(new Uint8Array(bytes));
  return parsed.offset === -1 ? bytes.length : parsed.offset;
}
