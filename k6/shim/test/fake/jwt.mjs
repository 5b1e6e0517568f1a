// The one HS256 signer and verifier of the JS test code (independent of k6/lib/jwt.js, the
// scripts' own signer, so the fake relay checks it).
import { createHmac, timingSafeEqual } from 'node:crypto';

const LEEWAY_S = 5;

const segment = (json) => Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
const hs256 = (input, secret) => createHmac('sha256', Buffer.from(secret, 'utf8')).update(input).digest();

/** An HS256 token over `claims`, keyed with the UTF-8 bytes of `secret`. */
export function signHs256(claims, secret) {
  const input = `${segment({ alg: 'HS256', typ: 'JWT' })}.${segment(claims)}`;
  return `${input}.${hs256(input, secret).toString('base64url')}`;
}

/** Returns the claims of a valid token, or null. */
export function verifyHs256(token, secret) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (header.alg !== 'HS256') return null;
  const expected = hs256(`${parts[0]}.${parts[1]}`, secret);
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
  if (claims.exp + LEEWAY_S < Date.now() / 1000) return null;
  return claims;
}
