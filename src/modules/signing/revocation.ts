import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * Revocation lists of outside certification authorities (the government CA of Ban Cơ yếu Chính phủ, commercial
 * CAs), fetched from the CRL distribution points of the certificates when a PDF is sealed, so that its DSS carries
 * them (PAdES B-LT): a validator years later can still tell that the signing certificates were not revoked then.
 *
 * Fetching is best effort and never blocks a signing for long: each URL gets FETCH_TIMEOUT_MS, all in parallel; an
 * answer is cached until the list's nextUpdate (at most a day), a failure for FAILURE_TTL_MS, so an offline commune
 * PC pays the timeout once in a while, not at every issuance. Reserved names (`.invalid`, `.example`, `.test`, the
 * demo CA's address) are never asked. `REVOCATION_FETCH=off` turns it off for deployments that must not go online.
 */

const FETCH_TIMEOUT_MS = 3_000;
const FAILURE_TTL_MS = 10 * 60_000;
const MAX_TTL_MS = 24 * 3_600_000;
const MAX_BYTES = 20 * 1024 * 1024;
const CRL_DISTRIBUTION_POINTS = '2.5.29.31';

export type RevocationFetcher = {
  /** The CRLs (DER) of the distribution points named by these certificates (DER) that could be fetched. */
  crlsFor(certificates: Uint8Array[]): Promise<Uint8Array[]>;
};

type Entry = { crl: Uint8Array | null; until: number };

/** A copy in its own ArrayBuffer (what asn1js and pkijs read). */
const own = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** The http(s) URLs of a certificate's CRL distribution points (none when it has no such extension or cannot be read). */
export function crlUrlsOf(certificate: Uint8Array): string[] {
  let cert: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(own(certificate));
  } catch {
    return [];
  }
  const ext = cert.extensions?.find((e) => e.extnID === CRL_DISTRIBUTION_POINTS);
  if (!ext) return [];
  try {
    const points = new pkijs.CRLDistributionPoints({ schema: asn1js.fromBER(own(ext.extnValue.valueBlock.valueHexView)).result });
    const urls: string[] = [];
    for (const point of points.distributionPoints) {
      const names = Array.isArray(point.distributionPoint) ? point.distributionPoint : [];
      for (const n of names) if (n.type === 6 && typeof n.value === 'string' && /^https?:\/\//i.test(n.value)) urls.push(n.value);
    }
    return urls;
  } catch {
    return [];
  }
}

/** Never asked: names reserved for documentation and tests (RFC 2606, RFC 6761), such as the demo CA's. */
function reservedHost(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return /(^|\.)(invalid|example|test)$/.test(host);
  } catch {
    return true;
  }
}

/** A CRL in DER (or PEM) that parses; null otherwise. */
function readCrl(body: Uint8Array): { der: Uint8Array; nextUpdate: Date | null } | null {
  let der = body;
  const text = Buffer.from(body.subarray(0, 64)).toString('latin1');
  if (text.startsWith('-----BEGIN')) {
    const pem = Buffer.from(body).toString('latin1');
    const m = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(pem);
    if (!m) return null;
    der = new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
  }
  try {
    const crl = pkijs.CertificateRevocationList.fromBER(own(der));
    return { der, nextUpdate: crl.nextUpdate?.value ?? null };
  } catch {
    return null;
  }
}

async function download(url: string): Promise<Uint8Array | null> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  if (!res.ok || !res.body) return null;
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_BYTES) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_BYTES) return null;
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** A fetcher with its own cache (one per process: CRLs are public data, the same for every database). */
export function revocationFetcher(opts: { now?: () => number } = {}): RevocationFetcher {
  const now = opts.now ?? Date.now;
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Uint8Array | null>>();

  const one = (url: string): Promise<Uint8Array | null> => {
    const hit = cache.get(url);
    if (hit && hit.until > now()) return Promise.resolve(hit.crl);
    const running = inFlight.get(url);
    if (running) return running;
    const p = download(url)
      .then((body) => {
        const crl = body ? readCrl(body) : null;
        const until = crl ? Math.min(now() + MAX_TTL_MS, Math.max(now() + 60_000, crl.nextUpdate?.getTime() ?? 0)) : now() + FAILURE_TTL_MS;
        cache.set(url, { crl: crl?.der ?? null, until });
        return crl?.der ?? null;
      })
      .catch(() => {
        cache.set(url, { crl: null, until: now() + FAILURE_TTL_MS });
        return null;
      })
      .finally(() => inFlight.delete(url));
    inFlight.set(url, p);
    return p;
  };

  return {
    async crlsFor(certificates) {
      const urls = [...new Set(certificates.flatMap(crlUrlsOf))].filter((u) => !reservedHost(u));
      const got = await Promise.all(urls.map(one));
      return got.filter((x): x is Uint8Array => x !== null);
    },
  };
}
