"use strict";
// The scripted engine's reply, frame for frame as ReplyShape.completed with ScriptedReply.chunks
// (loadgen raw push baseline): typing on, chunks 0.., message, typing off.

/** Splits text into at most n chunks, at most one per character. */
function chunks(text, n) {
  const count = Math.max(1, Math.min(n, text.length));
  const base = Math.floor(text.length / count);
  const extra = text.length % count;
  const out = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const len = base + (i < extra ? 1 : 0);
    out.push(text.substring(at, at + len));
    at += len;
  }
  return out;
}

/** [{kind, data}] of the reply to text: the user message is not part of it. */
function replyFrames(text, n) {
  const reply = "echo: " + text;
  const frames = [{ kind: "typing", data: { on: true } }];
  chunks(reply, n).forEach((c, i) => frames.push({ kind: "chunk", data: { text: c, index: i } }));
  frames.push({ kind: "message", data: { text: reply } });
  frames.push({ kind: "typing", data: { on: false } });
  return frames;
}

module.exports = { chunks, replyFrames };
