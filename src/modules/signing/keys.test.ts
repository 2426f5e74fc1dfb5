import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { decrypt, DEV_KEY_FILE, encrypt, keyIdOf, parseSigningKey, resolveSigningKey, SigningKeyError } from './keys.js';

/** The key that encrypts private keys at rest: parsing, AES-256-GCM round trip, key ids, the development key file. */

const key = (k = randomBytes(32)) => ({ key: k, id: keyIdOf(k), source: 'env' as const });

describe('SIGNING_KEY', () => {
  it('is 32 bytes of base64, checked when the configuration is read', () => {
    expect(() => parseSigningKey(randomBytes(16).toString('base64'))).toThrow(SigningKeyError);
    expect(parseSigningKey(randomBytes(32).toString('base64'))).toHaveLength(32);
    expect(() => loadConfig({ SIGNING_KEY: 'short' })).toThrow(/SIGNING_KEY: phải là 32 byte mã hoá base64/);
    expect(loadConfig({ SIGNING_KEY: '' }).signingKey).toBeUndefined();
    expect(() => loadConfig({ TSA_URL: 'ftp://tsa' })).toThrow(/TSA_URL/);
    expect(loadConfig({ CSC_BASE_URL: 'https://ky.example.vn/csc/v2/' }).csc).toEqual({ baseUrl: 'https://ky.example.vn/csc/v2', clientId: undefined, clientSecret: undefined });
  });

  it('encrypts with AES-256-GCM (a fresh IV each time) and refuses another key or a changed byte', () => {
    const k = key();
    const plain = randomBytes(3000);
    const a = encrypt(k, plain);
    const b = encrypt(k, plain);
    expect(a).not.toBe(b);
    expect(decrypt(k, a, k.id).equals(plain)).toBe(true);
    expect(() => decrypt(key(), a, k.id)).toThrow('Khoá bí mật đã được mã hoá bằng một SIGNING_KEY khác');
    expect(() => decrypt(key(), a, null)).toThrow('Khoá bí mật đã được mã hoá bằng một SIGNING_KEY khác');
    const raw = Buffer.from(a, 'base64');
    raw[40] ^= 1;
    expect(() => decrypt(k, raw.toString('base64'), k.id)).toThrow();
  });

  it('falls back to a key file only in development with demo data, made once with mode 0600', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-key-'));
    try {
      const given = randomBytes(32).toString('base64');
      expect(resolveSigningKey({ signingKey: given, env: 'production', demoData: false, dataDir })?.key.toString('base64')).toBe(given);
      expect(resolveSigningKey({ env: 'production', demoData: true, dataDir })).toBeNull();
      expect(resolveSigningKey({ env: 'development', demoData: false, dataDir })).toBeNull();
      const first = resolveSigningKey({ env: 'development', demoData: true, dataDir })!;
      expect(first.source).toBe('file');
      expect(fs.statSync(path.join(dataDir, DEV_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(resolveSigningKey({ env: 'development', demoData: true, dataDir })!.id).toBe(first.id);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
