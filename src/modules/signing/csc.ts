import { AppError } from '../../core/errors/index.js';
import type { SignatureAlgorithm, Signer } from '../../core/signing/index.js';

/**
 * A client of a Cloud Signature Consortium API v2 remote signing service (chữ ký số từ xa):
 * `oauth2/token` (client credentials), `credentials/list`, `credentials/info`, `credentials/authorize`
 * (PIN/OTP → SAD) and `signatures/signHash`. One service per deployment (CSC_BASE_URL, CSC_CLIENT_ID,
 * CSC_CLIENT_SECRET).
 */

export type CscConfig = { baseUrl: string; clientId?: string; clientSecret?: string };

export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

export type CscCredentialInfo = {
  description?: string;
  key: { status: string; algo: string[]; len?: number };
  cert: { status?: string; certificates: string[]; issuerDN?: string; subjectDN?: string; serialNumber?: string; validFrom?: string; validTo?: string };
  authMode?: string;
  PIN?: { presence: string; format?: string; label?: string };
  OTP?: { presence: string; type?: string };
  multisign?: number;
};

/** A wrong PIN/OTP at the remote service (the caller counts it like a local wrong PIN). */
export class CscAuthError extends Error {}

const unavailable = (detail: string) => new AppError(502, 'remote-signing-unavailable', 'Dịch vụ ký số từ xa không phản hồi đúng', detail);

export class CscClient {
  private token: { value: string; until: number } | null = null;

  constructor(
    readonly config: CscConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private async accessToken(): Promise<string | null> {
    if (!this.config.clientId) return null;
    if (this.token && this.token.until > Date.now() + 5_000) return this.token.value;
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.config.clientId, client_secret: this.config.clientSecret ?? '' });
    const res = await this.send('oauth2/token', body.toString(), 'application/x-www-form-urlencoded', null);
    const json = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!json.access_token) throw unavailable('Dịch vụ ký số từ xa không cấp mã truy cập (oauth2/token).');
    this.token = { value: json.access_token, until: Date.now() + (json.expires_in ?? 300) * 1000 };
    return json.access_token;
  }

  private async send(method: string, body: string, type: string, token: string | null): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.config.baseUrl}/${method}`, {
        method: 'POST',
        headers: { 'content-type': type, accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw unavailable(`Không kết nối được dịch vụ ký số từ xa (${(err as Error).message}).`);
    }
    if (res.ok) return res;
    const err = (await res.json().catch(() => ({}))) as { error?: string; error_description?: string };
    const what = `${err.error ?? res.status}${err.error_description ? `: ${err.error_description}` : ''}`;
    // CSC: credentials/authorize answers invalid_pin / invalid_otp (some services: invalid_request "… PIN …").
    if (method === 'credentials/authorize' && (err.error === 'invalid_pin' || err.error === 'invalid_otp' || /\b(PIN|OTP)\b/i.test(err.error_description ?? ''))) {
      throw new CscAuthError(what);
    }
    if (res.status === 401) this.token = null;
    throw unavailable(`Dịch vụ ký số từ xa từ chối yêu cầu ${method} (${what}).`);
  }

  async call<T>(method: string, body: Record<string, unknown>): Promise<T> {
    const res = await this.send(method, JSON.stringify(body), 'application/json', await this.accessToken());
    return (await res.json()) as T;
  }

  listCredentials(userID?: string): Promise<{ credentialIDs: string[] }> {
    return this.call('credentials/list', { ...(userID ? { userID } : {}), maxResults: 100 });
  }

  credentialInfo(credentialID: string): Promise<CscCredentialInfo> {
    return this.call('credentials/info', { credentialID, certificates: 'chain', certInfo: true, authInfo: true });
  }

  async authorize(credentialID: string, auth: { pin?: string; otp?: string }, numSignatures = 1): Promise<string> {
    const res = await this.call<{ SAD?: string }>('credentials/authorize', {
      credentialID,
      numSignatures,
      ...(auth.pin ? { PIN: auth.pin } : {}),
      ...(auth.otp ? { OTP: auth.otp } : {}),
    });
    if (!res.SAD) throw unavailable('Dịch vụ ký số từ xa không trả về SAD.');
    return res.SAD;
  }

  async signHash(credentialID: string, SAD: string, hashes: Uint8Array[], signAlgo: string): Promise<Uint8Array[]> {
    const res = await this.call<{ signatures?: string[] }>('signatures/signHash', {
      credentialID,
      SAD,
      hashes: hashes.map((h) => Buffer.from(h).toString('base64')),
      hashAlgorithmOID: OID.sha256,
      signAlgo,
    });
    if (!res.signatures || res.signatures.length !== hashes.length) throw unavailable('Dịch vụ ký số từ xa trả về số chữ ký không khớp.');
    return res.signatures.map((s) => new Uint8Array(Buffer.from(s, 'base64')));
  }
}

export function algorithmOf(info: Pick<CscCredentialInfo, 'key'>): SignatureAlgorithm {
  return info.key.algo.some((a) => a === OID.ecdsaWithSha256 || a === OID.ecPublicKey) ? 'ecdsa-sha256' : 'rsa-pkcs1-sha256';
}

/**
 * A Signer over a remote credential. The PIN/OTP is checked at once (credentials/authorize → SAD, one
 * signature), so a wrong PIN is known before any PDF work; signDigest then calls signatures/signHash.
 */
export async function cscSigner(client: CscClient, input: { credentialId: string; certificates: Uint8Array[]; algorithm: SignatureAlgorithm; pin?: string; otp?: string }): Promise<Signer> {
  const sad = await client.authorize(input.credentialId, { pin: input.pin, otp: input.otp });
  const signAlgo = input.algorithm === 'ecdsa-sha256' ? OID.ecdsaWithSha256 : OID.rsaEncryption;
  let used = false;
  return {
    certificates: async () => input.certificates,
    async signDigest(digest) {
      if (used) throw new AppError(409, 'sad-used', 'Phiên ký đã dùng', 'Mỗi lần xác thực PIN/OTP ở dịch vụ ký số từ xa chỉ ký một lần.');
      used = true;
      const [signature] = await client.signHash(input.credentialId, sad, [digest], signAlgo);
      return { signature, algorithm: input.algorithm };
    },
  };
}
