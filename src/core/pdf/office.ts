import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../errors/index.js';

/**
 * Word → PDF through LibreOffice when the server has it (`soffice` on PATH, or LIBREOFFICE_PATH).
 * LibreOffice is optional: without it the DOCX is still stored and the user uploads a PDF.
 */

const NAMES = ['soffice', 'libreoffice'];
const WELL_KNOWN = ['/opt/libreoffice/program/soffice', '/Applications/LibreOffice.app/Contents/MacOS/soffice'];

const executable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The LibreOffice binary, or null. LIBREOFFICE_PATH, when set, is the only place looked at. */
export function findLibreOffice(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.LIBREOFFICE_PATH) return executable(env.LIBREOFFICE_PATH) ? env.LIBREOFFICE_PATH : null;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of NAMES) if (executable(path.join(dir, name))) return path.join(dir, name);
  }
  return WELL_KNOWN.find(executable) ?? null;
}

export function libreOfficeAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return findLibreOffice(env) !== null;
}

export const libreOfficeMissing = () =>
  new AppError(
    422,
    'libreoffice-missing',
    'Không chuyển được DOCX sang PDF',
    'Máy chủ chưa cài LibreOffice nên không chuyển được DOCX sang PDF; tệp DOCX vẫn được lưu, vui lòng tải lên bản PDF',
  );

const conversionFailed = (detail: string) => new AppError(422, 'conversion-failed', 'Không chuyển được DOCX sang PDF', detail);

function wordKind(buf: Buffer): 'docx' | 'doc' | null {
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0x504b0304) return 'docx'; // ZIP (OOXML)
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'doc'; // OLE (Word 97–2003)
  return null;
}

// One conversion at a time: LibreOffice takes a core and a few hundred MB while it runs.
let queue: Promise<unknown> = Promise.resolve();

export type ConvertOptions = { timeoutMs?: number; env?: NodeJS.ProcessEnv };

/** Converts a DOCX (or DOC) to PDF. Throws AppError 422 when LibreOffice is missing or fails. */
export function docxToPdf(buf: Buffer, opts: ConvertOptions = {}): Promise<Buffer> {
  const kind = wordKind(buf);
  if (!kind) {
    return Promise.reject(new AppError(415, 'unsupported-media-type', 'Định dạng tệp không được hỗ trợ', 'Chỉ chuyển được tệp Word (DOCX hoặc DOC) sang PDF.'));
  }
  const bin = findLibreOffice(opts.env);
  if (!bin) return Promise.reject(libreOfficeMissing());
  const run = queue.then(() => convert(bin, buf, kind, opts.timeoutMs ?? 120_000));
  queue = run.catch(() => undefined);
  return run;
}

async function convert(bin: string, buf: Buffer, kind: 'docx' | 'doc', timeoutMs: number): Promise<Buffer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'lienthong-office-'));
  try {
    const input = path.join(dir, `input.${kind}`);
    const outDir = path.join(dir, 'out');
    await fsp.mkdir(outDir);
    await fsp.writeFile(input, buf);
    // A private profile per run: no clash with a desktop session or a concurrent conversion.
    const profile = pathToFileURL(path.join(dir, 'profile')).href;
    const args = [`-env:UserInstallation=${profile}`, '--headless', '--invisible', '--nologo', '--nodefault', '--nolockcheck', '--norestore', '--convert-to', 'pdf', '--outdir', outDir, input];
    const { code, stderr, timedOut } = await runProcess(bin, args, { ...process.env, HOME: dir }, timeoutMs);
    if (timedOut) throw conversionFailed(`LibreOffice không chuyển xong tệp trong ${Math.round(timeoutMs / 1000)} giây; tệp DOCX vẫn được lưu, vui lòng tải lên bản PDF.`);
    const output = path.join(outDir, 'input.pdf');
    if (code !== 0 || !fs.existsSync(output)) {
      const why = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300);
      throw conversionFailed(`LibreOffice không chuyển được tệp (mã thoát ${code}${why ? `: ${why}` : ''}); tệp có thể bị hỏng. Tệp DOCX vẫn được lưu, vui lòng tải lên bản PDF.`);
    }
    return await fsp.readFile(output);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

type RunResult = { code: number | null; stderr: string; timedOut: boolean };

/** Runs in its own process group so a timeout also kills soffice.bin started by the wrapper script. */
function runProcess(bin: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 10_000) stderr += d.toString('utf8');
    });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(conversionFailed(`Không chạy được LibreOffice (${bin}): ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!timedOut) killGroup(); // leftovers of a conversion that exited early
      resolve({ code, stderr, timedOut });
    });
  });
}
