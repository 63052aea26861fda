/**
 * Which certificate authorities HTTPS calls to Postscript trust. Networks that inspect TLS re-sign
 * traffic with the company's own CA; the agent adds that CA (a PEM file) in Settings, or IT sets
 * NODE_EXTRA_CA_CERTS. Either way the CA is added to Node's bundled roots, never instead of them,
 * and certificate checks stay on.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import tls from 'node:tls';

export interface CaFileInfo {
  path: string;
  /** Subjects of the certificates found, for the Settings screen. */
  subjects: string[];
  pem: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads a PEM file of one or more certificates, or throws an Error that says what is wrong. */
export function readCaFile(file: string): CaFileInfo {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'this app is not allowed to read it' : code === 'EISDIR' ? 'it is a folder' : String(code ?? err);
    throw new Error(`The CA file ${file} cannot be read: ${why}.`, { cause: err });
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new Error(`The CA file ${file} holds no PEM certificate (“-----BEGIN CERTIFICATE-----”). Export your company's root CA as PEM / Base-64 and choose that file.`);
  }
  const subjects = blocks.map((pem, i) => {
    try {
      return new crypto.X509Certificate(pem).subject.replace(/\n/g, ', ');
    } catch (err) {
      throw new Error(`Certificate ${i + 1} in ${file} is damaged: export the CA again.`, { cause: err });
    }
  });
  return { path: file, subjects, pem: blocks.join('\n') };
}

/**
 * The CA list to hand to TLS, or undefined to keep Node's defaults (which already include
 * NODE_EXTRA_CA_CERTS). Passing `ca` replaces the defaults, so the bundled roots and the
 * NODE_EXTRA_CA_CERTS file are added back explicitly.
 */
export function trustedCas(customFile: string | null, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (customFile === null) return undefined;
  const extra: string[] = [readCaFile(customFile).pem];
  const envFile = env.NODE_EXTRA_CA_CERTS;
  if (envFile !== undefined && envFile !== '') {
    try {
      extra.push(readCaFile(envFile).pem);
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at start; nothing to add.
    }
  }
  return [...tls.rootCertificates, ...extra];
}
