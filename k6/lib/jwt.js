// HS256 JWTs signed in the script (k6 has HMAC but no JWT helper), or tokens read from a file.
import crypto from 'k6/crypto';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** UTF-8 bytes of a string (k6 has no TextEncoder). */
export function utf8Bytes(str) {
  const bytes = [];
  for (let i = 0; i < str.length; i++) {
    let code = str.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < str.length) {
      code = 0x10000 + ((code - 0xd800) << 10) + (str.charCodeAt(++i) - 0xdc00);
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return bytes;
}

/** base64url without padding, as JWTs use it. */
export function base64url(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
    out += B64URL[(n >> 18) & 63] + B64URL[(n >> 12) & 63];
    if (i + 1 < bytes.length) out += B64URL[(n >> 6) & 63];
    if (i + 2 < bytes.length) out += B64URL[n & 63];
  }
  return out;
}

function hexBytes(hex) {
  const bytes = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.substr(i, 2), 16));
  return bytes;
}

export function signHs256(claims, secret) {
  const head = base64url(utf8Bytes(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const body = base64url(utf8Bytes(JSON.stringify(claims)));
  const signature = hexBytes(crypto.hmac('sha256', secret, head + '.' + body, 'hex'));
  return head + '.' + body + '.' + base64url(signature);
}

/** Reads RELAY_TOKEN_FILE in the init context (open() exists only there). */
export function loadTokens(settings) {
  if (!settings.tokenFile) return [];
  return open(settings.tokenFile).split('\n').map((l) => l.trim()).filter((l) => l !== '' && l.charAt(0) !== '#');
}

/**
 * Token source of one VU: signs a fresh token per call when a secret is set,
 * else hands out line (VU-1) mod N of the token file (it cannot refresh those).
 */
export function tokenSource(settings, tokens, vu) {
  if (settings.secret) {
    return {
      canRefresh: true,
      sub: settings.subPrefix + '-' + vu,
      next: function () {
        const now = Math.floor(Date.now() / 1000);
        const claims = { sub: settings.subPrefix + '-' + vu, iat: now, exp: now + settings.tokenTtlS };
        if (settings.issuer) claims.iss = settings.issuer;
        if (settings.audience) claims.aud = settings.audience;
        return signHs256(claims, settings.secret);
      },
    };
  }
  if (tokens.length > 0) {
    const token = tokens[(vu - 1) % tokens.length];
    return { canRefresh: false, sub: null, next: function () { return token; } };
  }
  throw new Error('set RELAY_JWT_HS256_SECRET (tokens signed here) or RELAY_TOKEN_FILE (one token per line)');
}
