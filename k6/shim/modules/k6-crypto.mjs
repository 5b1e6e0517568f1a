// k6/crypto: the hash/HMAC helpers, on node:crypto.
import nodeCrypto from 'node:crypto';

const ALGORITHMS = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

const toBuffer = (data) => (data instanceof ArrayBuffer ? Buffer.from(data) : ArrayBuffer.isView(data)
  ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(String(data), 'utf8'));

function encode(digest, encoding) {
  switch (encoding) {
    case 'hex': return digest.toString('hex');
    case 'base64': return digest.toString('base64');
    case 'base64url': return digest.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'base64rawurl': return digest.toString('base64url');
    case 'binary': return [...digest];
    default: throw new Error(`unsupported output encoding: ${encoding}`);
  }
}

function algorithm(name) {
  const alg = ALGORITHMS[name];
  if (!alg) throw new Error(`unsupported algorithm: ${name}`);
  return alg;
}

export function hmac(alg, secret, data, outputEncoding) {
  return encode(nodeCrypto.createHmac(algorithm(alg), toBuffer(secret)).update(toBuffer(data)).digest(), outputEncoding);
}

export function hash(alg, data, outputEncoding) {
  return encode(nodeCrypto.createHash(algorithm(alg)).update(toBuffer(data)).digest(), outputEncoding);
}

export const sha256 = (data, enc) => hash('sha256', data, enc);
export const sha1 = (data, enc) => hash('sha1', data, enc);
export const md5 = (data, enc) => hash('md5', data, enc);
export const randomBytes = (n) => new Uint8Array(nodeCrypto.randomBytes(n)).buffer;

export default { hmac, sha256, sha1, md5, randomBytes };
