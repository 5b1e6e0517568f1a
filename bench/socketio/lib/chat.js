"use strict";
// The chat scenario on Socket.IO, as a team would build it: one room per (user, thread); a send
// reserves the seqs of the user message and its whole reply, then the in-process "worker"
// (zero delay, like RELAY_SCRIPTED_DELAY_MS=0) broadcasts every frame to the thread's room.
// Events carry relay.v1 messages (docs/PROTOCOL.md) so the Java driver checks them unchanged.
const { verifyHs256 } = require("./jwt");
const { replyFrames } = require("./reply");

const THREAD_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_TEXT_CHARS = 16384;

function roomOf(sub, thread) {
  return JSON.stringify([sub, thread]);
}

function badRequest(socket, message, ref) {
  socket.emit("error", { type: "error", code: "bad_request", message, ref });
}

/** Wires auth, subscribe, unsubscribe and send on io; seqs is a MemorySeqs or RedisSeqs. */
function attachChat(io, { secret, chunks, seqs }) {
  io.use((socket, next) => {
    const claims = verifyHs256(socket.handshake.auth && socket.handshake.auth.token, secret);
    if (!claims) return next(new Error("unauthorized"));
    socket.data.sub = claims.sub;
    next();
  });

  io.on("connection", (socket) => {
    const sub = socket.data.sub;

    socket.on("subscribe", async (m) => {
      if (!m || !THREAD_ID.test(m.thread)) return badRequest(socket, "invalid thread", m && m.thread);
      const key = roomOf(sub, m.thread);
      const [epoch, head] = await Promise.all([seqs.epoch(), seqs.head(key)]);
      const after = typeof m.after === "number" ? m.after : -1;
      // No journal to replay from: only a cursor at the head can be honoured.
      const reason = m.epoch && m.epoch !== epoch ? "epoch" : after > head ? "ahead"
        : after >= 0 && after < head ? "retention" : null;
      if (reason) {
        socket.emit("reset", { type: "reset", thread: m.thread, epoch, head, reason });
        return;
      }
      socket.join(key);
      socket.emit("subscribed", { type: "subscribed", thread: m.thread, epoch, head });
    });

    socket.on("unsubscribe", (m) => {
      if (m && THREAD_ID.test(m.thread)) socket.leave(roomOf(sub, m.thread));
      socket.emit("unsubscribed", { type: "unsubscribed", thread: m && m.thread });
    });

    socket.on("send", async (m) => {
      if (!m || !THREAD_ID.test(m.thread) || typeof m.id !== "string" || typeof m.text !== "string"
        || m.text.length === 0 || m.text.length > MAX_TEXT_CHARS) {
        return badRequest(socket, "send needs thread, id and text", m && m.id);
      }
      const key = roomOf(sub, m.thread);
      const reply = replyFrames(m.text, chunks);
      // Reservations resolve in the order they were made (one Redis connection, or microtasks),
      // so the frames of a thread are broadcast in seq order.
      const [epoch, first] = await Promise.all([seqs.epoch(), seqs.reserve(key, reply.length + 1)]);
      socket.emit("accepted", { type: "accepted", id: m.id, thread: m.thread, seq: first });
      const room = io.to(key);
      const frame = (seq, id, kind, replyTo, data) => ({
        type: "frame", thread: m.thread, epoch, seq, id, kind, ts: Date.now(), replyTo, data,
      });
      room.emit("frame", frame(first, m.id, "user_message", undefined, { text: m.text }));
      reply.forEach((f, i) => room.emit("frame", frame(first + 1 + i, m.id + ":" + i, f.kind, m.id, f.data)));
    });
  });
}

module.exports = { attachChat, roomOf };
