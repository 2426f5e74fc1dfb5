import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { keySigner } from '../../../core/signing/index.js';

/**
 * A small Cloud Signature Consortium API v2 service for tests and demos (node:http, keys in memory,
 * e.g. issued by the demo CA): info, oauth2/token (client credentials), credentials/list,
 * credentials/info, credentials/authorize (PIN → SAD, counted signatures, 5 minutes) and
 * signatures/signHash. Errors follow the CSC shape `{ error, error_description }`.
 */

export type TestCscCredential = {
  id: string;
  userId: string;
  pin: string;
  certificates: Uint8Array[]; // leaf first
  privateKey: CryptoKey;
  description?: string;
};

export type TestCscService = {
  url: string;
  /** Methods called, in order (for assertions). */
  calls: string[];
  close(): Promise<void>;
};

const SHA256 = '2.16.840.1.101.3.4.2.1';
const RSA = ['1.2.840.113549.1.1.1', '1.2.840.113549.1.1.11'];
const ECDSA = ['1.2.840.10045.4.3.2', '1.2.840.10045.2.1'];

class CscError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export async function startTestCscService(opts: { credentials: TestCscCredential[]; clientId?: string; clientSecret?: string }): Promise<TestCscService> {
  const tokens = new Set<string>();
  const sads = new Map<string, { credentialId: string; left: number; until: number }>();
  const calls: string[] = [];
  const byId = new Map(opts.credentials.map((c) => [c.id, c]));

  const credential = (body: Record<string, unknown>) => {
    if (typeof body.credentialID !== 'string') throw new CscError(400, 'invalid_request', 'Missing (or invalid type) string parameter credentialID');
    const c = byId.get(body.credentialID);
    if (!c) throw new CscError(400, 'invalid_request', 'Invalid parameter credentialID');
    return c;
  };
  const algo = (c: TestCscCredential) => (c.privateKey.algorithm.name === 'ECDSA' ? ECDSA : RSA);

  const methods: Record<string, (body: Record<string, unknown>) => Promise<unknown> | unknown> = {
    info: () => ({ specs: '2.0.0.0', name: 'LienThong test CSC', logo: '', region: 'VN', lang: 'vi-VN', description: 'Dịch vụ ký số từ xa dùng cho kiểm thử', authType: ['oauth2client'], methods: Object.keys(methods) }),
    'credentials/list': (b) => ({ credentialIDs: opts.credentials.filter((c) => !b.userID || c.userId === b.userID).map((c) => c.id) }),
    'credentials/info': (b) => {
      const c = credential(b);
      const certs = b.certificates === 'none' ? [] : b.certificates === 'chain' ? c.certificates : c.certificates.slice(0, 1);
      return {
        description: c.description ?? c.id,
        key: { status: 'enabled', algo: algo(c), len: c.privateKey.algorithm.name === 'ECDSA' ? 256 : 2048 },
        cert: { status: 'valid', certificates: certs.map((d) => Buffer.from(d).toString('base64')) },
        authMode: 'explicit',
        PIN: { presence: 'true', format: 'N', label: 'PIN' },
        OTP: { presence: 'false' },
        multisign: 1,
        lang: 'vi-VN',
      };
    },
    'credentials/authorize': (b) => {
      const c = credential(b);
      const n = typeof b.numSignatures === 'number' ? b.numSignatures : NaN;
      if (!Number.isInteger(n) || n < 1) throw new CscError(400, 'invalid_request', 'Missing (or invalid type) integer parameter numSignatures');
      if (typeof b.PIN !== 'string' || b.PIN !== c.pin) throw new CscError(400, 'invalid_pin', 'The PIN is invalid');
      const SAD = randomBytes(24).toString('base64url');
      sads.set(SAD, { credentialId: c.id, left: n, until: Date.now() + 300_000 });
      return { SAD, expiresIn: 300 };
    },
    'signatures/signHash': async (b) => {
      const c = credential(b);
      const sad = typeof b.SAD === 'string' ? sads.get(b.SAD) : undefined;
      if (!sad || sad.credentialId !== c.id || sad.until < Date.now()) throw new CscError(400, 'invalid_request', 'Invalid SAD');
      const hashes = Array.isArray(b.hashes) ? (b.hashes as unknown[]) : [];
      if (hashes.length === 0 || hashes.length > sad.left) throw new CscError(400, 'invalid_request', 'Invalid number of hashes');
      if (b.hashAlgorithmOID !== SHA256 && b.signAlgo !== '1.2.840.113549.1.1.11' && b.signAlgo !== '1.2.840.10045.4.3.2') {
        throw new CscError(400, 'invalid_request', 'Missing parameter hashAlgorithmOID');
      }
      if (typeof b.signAlgo !== 'string' || !algo(c).includes(b.signAlgo)) throw new CscError(400, 'invalid_request', 'Invalid parameter signAlgo');
      sad.left -= hashes.length;
      if (sad.left === 0) sads.delete(b.SAD as string);
      const signer = keySigner({ privateKey: c.privateKey, certificates: c.certificates });
      const signatures: string[] = [];
      for (const h of hashes) {
        const digest = typeof h === 'string' ? Buffer.from(h, 'base64') : Buffer.alloc(0);
        if (digest.length !== 32) throw new CscError(400, 'invalid_request', 'Invalid parameter hashes');
        signatures.push(Buffer.from((await signer.signDigest(digest)).signature).toString('base64'));
      }
      return { signatures };
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/csc\/v2\//, '').split('?')[0];
      calls.push(method);
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      void (async () => {
        try {
          const raw = Buffer.concat(chunks).toString('utf8');
          if (method === 'oauth2/token') {
            const form = new URLSearchParams(raw);
            if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== opts.clientId || form.get('client_secret') !== (opts.clientSecret ?? '')) {
              throw new CscError(400, 'invalid_client', 'Client authentication failed');
            }
            const token = randomBytes(24).toString('base64url');
            tokens.add(token);
            return reply(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
          }
          const handler = methods[method];
          if (req.method !== 'POST' || !handler) throw new CscError(404, 'invalid_request', `Unknown method ${method}`);
          if (opts.clientId && method !== 'info') {
            const auth = req.headers.authorization ?? '';
            if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7))) throw new CscError(401, 'invalid_token', 'The access token is not valid');
          }
          reply(200, await handler(raw ? (JSON.parse(raw) as Record<string, unknown>) : {}));
        } catch (err) {
          if (err instanceof CscError) reply(err.status, { error: err.error, error_description: err.description });
          else reply(500, { error: 'server_error', error_description: (err as Error).message });
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/csc/v2`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
