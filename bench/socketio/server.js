"use strict";
// Socket.IO 4 server of the chat scenario for bench/run.sh (loopback only). Modes:
//   memory: plain Socket.IO, seqs in process memory
//   redis:  @socket.io/redis-streams-adapter + connection-state recovery, seqs in Redis (INCRBY)
// Usage: node server.js --port P --secret S [--redis-url redis://127.0.0.1:16391] [--chunks 8]
// (or SIO_PORT, SIO_SECRET, SIO_REDIS_URL, SIO_CHUNKS). Prints READY once listening.
const { createServer } = require("node:http");
const { Server } = require("socket.io");
const { attachChat } = require("./lib/chat");
const { MemorySeqs, RedisSeqs } = require("./lib/seqs");

const DEFAULT_CHUNKS = 8;                    // the relay bench's RELAY_SCRIPTED_CHUNKS
const RECOVERY_WINDOW_MS = 2 * 60 * 1000;    // Socket.IO's default maxDisconnectionDuration

function options(argv, env) {
  const given = {};
  for (let i = 2; i < argv.length; i += 2) given[argv[i].replace(/^--/, "")] = argv[i + 1];
  const o = {
    port: Number(given.port || env.SIO_PORT || 0),
    secret: given.secret || env.SIO_SECRET,
    redisUrl: given["redis-url"] || env.SIO_REDIS_URL || null,
    chunks: Number(given.chunks || env.SIO_CHUNKS || DEFAULT_CHUNKS),
  };
  if (!o.secret) throw new Error("--secret (or SIO_SECRET) is required");
  if (o.redisUrl && !/^redis:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(o.redisUrl)) {
    throw new Error("--redis-url must be on loopback");
  }
  return o;
}

async function main() {
  const o = options(process.argv, process.env);
  const ioOptions = { serveClient: false };
  let seqs = new MemorySeqs();
  if (o.redisUrl) {
    const { createClient } = require("redis");
    const { createAdapter } = require("@socket.io/redis-streams-adapter");
    const client = createClient({ url: o.redisUrl });
    client.on("error", (e) => console.error("event=redis.error message=" + JSON.stringify(e.message)));
    await client.connect();
    ioOptions.adapter = createAdapter(client);
    ioOptions.connectionStateRecovery = { maxDisconnectionDuration: RECOVERY_WINDOW_MS };
    seqs = new RedisSeqs(client);
  }
  const http = createServer();
  const io = new Server(http, ioOptions);
  attachChat(io, { secret: o.secret, chunks: o.chunks, seqs });
  await seqs.epoch();
  http.listen(o.port, "127.0.0.1", () => {
    const mode = o.redisUrl ? "redis" : "memory";
    console.log(`event=socketio.ready port=${http.address().port} mode=${mode} READY`);
  });
  const stop = () => io.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e) => {
  console.error("event=socketio.failed message=" + JSON.stringify(String(e && e.message)));
  process.exit(2);
});
