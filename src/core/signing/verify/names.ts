import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { bytesOf } from './crypto.js';

/** Readable forms of certificate names, serial numbers and times for the report. */

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GIVENNAME',
  '2.5.4.97': 'ORGANIZATIONIDENTIFIER',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

function attributeText(value: unknown): string {
  if (value instanceof asn1js.BaseStringBlock) return value.getValue().normalize('NFC');
  if (value instanceof asn1js.BaseBlock) return `#${Buffer.from(bytesOf(value.toBER(false))).toString('hex')}`;
  return String(value);
}

const escape = (s: string) => s.replace(/([,+"\\<>;])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');

/** RFC 4514 string, most specific first: "CN=Nguyễn Văn A, O=UBND huyện …, C=VN". */
export function distinguishedName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${SHORT[tv.type] ?? tv.type}=${escape(attributeText(tv.value))}`)
    .reverse()
    .join(', ');
}

export function nameAttribute(name: pkijs.RelativeDistinguishedNames, short: 'CN' | 'O' | 'OU'): string | null {
  const oid = Object.entries(SHORT).find(([, s]) => s === short)?.[0];
  const tv = name.typesAndValues.find((t) => t.type === oid);
  return tv ? attributeText(tv.value) : null;
}

/** Serial number as lower-case hex without leading zeros (the engine's and CRLs' form). */
export function serialHex(cert: pkijs.Certificate): string {
  return Buffer.from(bytesOf(cert.serialNumber.valueBlock.valueHexView)).toString('hex').replace(/^0+(?=.)/, '');
}

/** ISO 8601 in Vietnam's time zone: 2026-03-05T14:30:00+07:00. */
export function isoVietnam(date: Date): string {
  const shifted = new Date(date.getTime() + 7 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}+07:00`;
}

/** dd/MM/yyyy HH:mm in Vietnam's time zone, for Vietnamese sentences. */
export function displayVietnam(date: Date): string {
  const s = isoVietnam(date);
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)} ${s.slice(11, 16)}`;
}

export const sameName = (a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean =>
  Buffer.compare(bytesOf(a.valueBeforeDecode), bytesOf(b.valueBeforeDecode)) === 0 || a.isEqual(b);

/** A certificate's display name: CN, else O, else the whole subject. */
export function displayName(cert: pkijs.Certificate): string {
  return nameAttribute(cert.subject, 'CN') ?? nameAttribute(cert.subject, 'O') ?? distinguishedName(cert.subject);
}
