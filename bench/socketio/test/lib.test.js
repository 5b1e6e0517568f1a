"use strict";
// node --test: the token check and the reply shape of the Socket.IO comparison server.
const test = require("node:test");
const assert = require("node:assert");
const crypto = require("node:crypto");
const { verifyHs256 } = require("../lib/jwt");
const { chunks, replyFrames } = require("../lib/reply");
const { MemorySeqs } = require("../lib/seqs");

const SECRET = "s".repeat(32);

function sign(claims, secret = SECRET, alg = "HS256") {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = part({ alg, typ: "JWT" }) + "." + part(claims);
  return body + "." + crypto.createHmac("sha256", secret).update(body).digest("base64url");
}

test("a valid HS256 token yields its claims; bad signature, alg, expiry or sub do not", () => {
  const now = 1_000_000;
  assert.strictEqual(verifyHs256(sign({ sub: "u", exp: now + 60 }), SECRET, now).sub, "u");
  assert.strictEqual(verifyHs256(sign({ sub: "u", exp: now + 60 }, "t".repeat(32)), SECRET, now), null);
  assert.strictEqual(verifyHs256(sign({ sub: "u", exp: now + 60 }, SECRET, "none"), SECRET, now), null);
  assert.strictEqual(verifyHs256(sign({ sub: "u", exp: now - 6 }), SECRET, now), null);
  assert.notStrictEqual(verifyHs256(sign({ sub: "u", exp: now - 4 }), SECRET, now), null, "5 s leeway");
  assert.strictEqual(verifyHs256(sign({ exp: now + 60 }), SECRET, now), null);
  assert.strictEqual(verifyHs256("not.a.token", SECRET, now), null);
  assert.strictEqual(verifyHs256(undefined, SECRET, now), null);
});

test("chunks split like ScriptedReply: at most n, at most one per character, longer ones first", () => {
  assert.deepStrictEqual(chunks("abcdefghij", 4), ["abc", "def", "gh", "ij"]);
  assert.deepStrictEqual(chunks("ab", 8), ["a", "b"]);
  assert.deepStrictEqual(chunks("", 8), [""]);
});

test("a reply is typing on, chunks 0.., the message of the chunks, typing off", () => {
  const frames = replyFrames("hello", 3);
  assert.deepStrictEqual(frames.map((f) => f.kind), ["typing", "chunk", "chunk", "chunk", "message", "typing"]);
  assert.deepStrictEqual(frames[0].data, { on: true });
  assert.deepStrictEqual(frames.slice(1, 4).map((f) => f.data.index), [0, 1, 2]);
  assert.strictEqual(frames.slice(1, 4).map((f) => f.data.text).join(""), "echo: hello");
  assert.deepStrictEqual(frames[4].data, { text: "echo: hello" });
  assert.deepStrictEqual(frames[5].data, { on: false });
});

test("memory seqs reserve contiguous blocks per thread", async () => {
  const seqs = new MemorySeqs();
  assert.strictEqual(await seqs.reserve("a", 12), 1);
  assert.strictEqual(await seqs.reserve("a", 12), 13);
  assert.strictEqual(await seqs.reserve("b", 3), 1);
  assert.strictEqual(await seqs.head("a"), 24);
});
