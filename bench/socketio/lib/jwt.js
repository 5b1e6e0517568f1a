"use strict";
// HS256 token check, as the gateway does it: signature, alg, exp/nbf with 5 s leeway, sub.
const crypto = require("node:crypto");

const LEEWAY_S = 5;

function decodePart(part) {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

/** The claims of a valid token, else null. */
function verifyHs256(token, secret, nowS = Math.floor(Date.now() / 1000)) {
  if (typeof token !== "string") return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    if (decodePart(parts[0]).alg !== "HS256") return null;
    const expected = crypto.createHmac("sha256", secret).update(parts[0] + "." + parts[1]).digest();
    const given = Buffer.from(parts[2], "base64url");
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
    const claims = decodePart(parts[1]);
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number") return null;
    if (claims.exp + LEEWAY_S < nowS) return null;
    if (typeof claims.nbf === "number" && claims.nbf - LEEWAY_S > nowS) return null;
    return claims;
  } catch {
    return null;
  }
}

module.exports = { verifyHs256 };
