import fs from 'node:fs';
import path from 'node:path';
import { mustRun } from '../../testing/tools.js';

/**
 * A throw-away PKI made with the `openssl` command line only (independent of LienThong's demo CA):
 * roots, officials' RSA and ECDSA certificates with Vietnamese UTF-8 subjects, an expired one, a
 * time-stamping authority, revocation and CRLs through `openssl ca`. For the validator's agreement tests.
 */

export type Party = { name: string; cert: string; key: string; der: Uint8Array; p12: string };

export type OpensslPki = {
  dir: string;
  root: Party;
  /** Another self-signed root, not trusted by anyone. */
  otherRoot: Party;
  official: Party;
  ecOfficial: Party;
  expired: Party;
  revoked: Party;
  /** Signed by the other root. */
  stranger: Party;
  tsa: Party;
  /** DER CRL of `root` listing `revoked`. */
  crl: Uint8Array;
  tsConfig: string;
  pin: string;
};

const PIN = 'secret';

export function opensslPki(dir: string): OpensslPki {
  fs.mkdirSync(dir, { recursive: true });
  const p = (name: string) => path.join(dir, name);
  const root = makeRoot(dir, 'root', '/C=VN/O=Ban Cơ yếu Chính phủ (thử nghiệm)/CN=Root CA thử nghiệm LienThong');
  const otherRoot = makeRoot(dir, 'other-root', '/C=VN/O=Tổ chức lạ/CN=Root CA không tin cậy');
  const configFor = (ca: string) => {
    const caDir = p(`${ca}-db`);
    fs.mkdirSync(path.join(caDir, 'newcerts'), { recursive: true });
    fs.writeFileSync(path.join(caDir, 'index.txt'), '');
    // Six hex digits: openssl ca wants an even number of them.
    fs.writeFileSync(path.join(caDir, 'serial'), `${(0x100000 + Math.floor(Math.random() * 0xefffff)).toString(16)}\n`);
    fs.writeFileSync(path.join(caDir, 'crlnumber'), '01\n');
    const config = path.join(caDir, 'ca.cnf');
    fs.writeFileSync(config, caConfig(caDir));
    return config;
  };
  const rootConfig = configFor('root');
  const otherConfig = configFor('other-root');
  const issue = (name: string, subject: string, options: { config: string; ca: Party; ec?: boolean; ext?: string; start?: string; end?: string }): Party => {
    const key = p(`${name}.key`);
    const csr = p(`${name}.csr`);
    const cert = p(`${name}.pem`);
    const newKey = options.ec ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
    mustRun('openssl', ['req', '-new', ...newKey, '-nodes', '-keyout', key, '-out', csr, '-utf8', '-subj', subject]);
    const dates = options.start && options.end ? ['-startdate', options.start, '-enddate', options.end] : ['-days', '730'];
    mustRun('openssl', ['ca', '-batch', '-notext', '-utf8', '-config', options.config, '-cert', options.ca.cert, '-keyfile', options.ca.key, '-in', csr, '-out', cert, '-extensions', options.ext ?? 'leaf_ext', ...dates]);
    return finish(dir, name, cert, key, options.ca.cert);
  };
  const official = issue('official', '/C=VN/ST=Thừa Thiên Huế/L=Phú Lộc/O=UBND huyện Phú Lộc/OU=Văn phòng/CN=Nguyễn Thị Hồng Nhung', { config: rootConfig, ca: root });
  const ecOfficial = issue('ec-official', '/C=VN/O=Sở Nội vụ/CN=Trần Đức Lâm', { config: rootConfig, ca: root, ec: true });
  const expired = issue('expired', '/C=VN/O=UBND xã Lộc Bình/CN=Lê Văn Hết Hạn', { config: rootConfig, ca: root, start: '20200101000000Z', end: '20210101000000Z' });
  const revoked = issue('revoked', '/C=VN/O=UBND xã Lộc Bình/CN=Phạm Văn Thu Hồi', { config: rootConfig, ca: root });
  const stranger = issue('stranger', '/C=VN/O=Tổ chức lạ/CN=Người Lạ', { config: otherConfig, ca: otherRoot });
  const tsa = issue('tsa', '/C=VN/O=Ban Cơ yếu Chính phủ (thử nghiệm)/CN=TSA thử nghiệm', { config: rootConfig, ca: root, ext: 'tsa_ext' });
  mustRun('openssl', ['ca', '-batch', '-config', rootConfig, '-cert', root.cert, '-keyfile', root.key, '-revoke', revoked.cert, '-crl_reason', 'keyCompromise']);
  mustRun('openssl', ['ca', '-batch', '-config', rootConfig, '-cert', root.cert, '-keyfile', root.key, '-gencrl', '-out', p('root.crl.pem')]);
  mustRun('openssl', ['crl', '-in', p('root.crl.pem'), '-outform', 'DER', '-out', p('root.crl')]);
  const tsConfig = p('ts.cnf');
  fs.writeFileSync(p('tsaserial'), '01\n');
  fs.writeFileSync(
    tsConfig,
    `[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\nserial = ${p('tsaserial')}\ncrypto_device = builtin\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256, sha384, sha512\naccuracy = secs:1\ness_cert_id_alg = sha256\ness_cert_id_chain = no\n`,
  );
  return { dir, root, otherRoot, official, ecOfficial, expired, revoked, stranger, tsa, crl: new Uint8Array(fs.readFileSync(p('root.crl'))), tsConfig, pin: PIN };
}

function makeRoot(dir: string, name: string, subject: string): Party {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  mustRun('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '3650', '-utf8', '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return finish(dir, name, cert, key, null);
}

function finish(dir: string, name: string, cert: string, key: string, chain: string | null): Party {
  const der = path.join(dir, `${name}.der`);
  mustRun('openssl', ['x509', '-in', cert, '-outform', 'DER', '-out', der]);
  const p12 = path.join(dir, `${name}.p12`);
  mustRun('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, ...(chain ? ['-certfile', chain] : []), '-passout', `pass:${PIN}`, '-name', name, '-out', p12]);
  return { name, cert, key, der: new Uint8Array(fs.readFileSync(der)), p12 };
}

function caConfig(caDir: string): string {
  return `[ ca ]
default_ca = CA_default
[ CA_default ]
database = ${caDir}/index.txt
new_certs_dir = ${caDir}/newcerts
serial = ${caDir}/serial
crlnumber = ${caDir}/crlnumber
default_md = sha256
policy = policy_any
unique_subject = no
default_crl_days = 30
string_mask = utf8only
[ policy_any ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ leaf_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection, 1.3.6.1.4.1.311.10.3.12
crlDistributionPoints = URI:http://ca.lienthong.example/test-root.crl
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;
}
