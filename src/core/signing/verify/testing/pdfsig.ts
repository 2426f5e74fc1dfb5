import fs from 'node:fs';
import path from 'node:path';
import { run } from '../../testing/tools.js';

/**
 * poppler's `pdfsig` verdicts per signature field, for the agreement tests. Integrity and coverage
 * come from `pdfsig -nocert -no-ocsp`; trust from `pdfsig -nssdir` with a database trusting the root
 * (without -no-ocsp: with it, poppler 22.12 answers "Unknown issue with Certificate" for signatures
 * whose CMS carries only the leaf; the test certificates carry no OCSP address, so nothing goes online).
 */
export type PdfsigVerdict = {
  field: string;
  valid: boolean;
  wholeDocument: boolean;
  /** poppler cannot check document time-stamps (ETSI.RFC3161): "Unable to validate this type of signature". */
  unsupported: boolean;
  certificate: string | null;
  text: string;
};

export function pdfsigVerdicts(pdf: Uint8Array, work: string, options: { nssDir?: string } = {}): PdfsigVerdict[] {
  const file = path.join(work, `pdfsig-${process.hrtime.bigint()}.pdf`);
  fs.writeFileSync(file, pdf);
  const args = options.nssDir ? ['-nssdir', `sql:${options.nssDir}`, file] : ['-nocert', '-no-ocsp', file];
  const result = run('pdfsig', args);
  fs.rmSync(file);
  const output = `${result.stdout}\n${result.stderr}`;
  return output
    .split(/^Signature #\d+:/m)
    .slice(1)
    .map((block) => ({
      field: /Signature Field Name: (.*)/.exec(block)?.[1].trim() ?? '',
      valid: /Signature Validation: Signature is Valid\./.test(block),
      wholeDocument: /^\s*- Total document signed/m.test(block),
      unsupported: /Signature Type: unknown/.test(block),
      certificate: /Certificate Validation: (.*)/.exec(block)?.[1].trim() ?? null,
      text: block,
    }));
}

/**
 * pdfsig's certificate verdict in the validator's terms; null when it has none. poppler 22.12 says
 * "Unknown issue with Certificate or corrupted data" for a good chain when the leaf has no CRL
 * distribution point or extended key usage (docs/signatures.md; the test PKI writes both), and — still —
 * for the second signature in one run whose CMS carries only the same leaf certificate (pdfsig's own
 * signatures): no verdict either.
 */
export function pdfsigChain(certificate: string | null): 'trusted' | 'untrusted' | 'unknown-root' | null {
  if (!certificate || certificate.startsWith('Unknown issue')) return null;
  if (certificate.startsWith('Certificate is Trusted')) return 'trusted';
  if (/issuer isn't Trusted|issuer is unknown/.test(certificate)) return 'unknown-root';
  return 'untrusted';
}
