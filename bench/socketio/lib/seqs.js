"use strict";
// Per-thread seq counters: a block of seqs is reserved per send (user message + reply frames).
const crypto = require("node:crypto");

/** In process memory: lost on restart, so the epoch is new per process. */
class MemorySeqs {
  constructor() {
    this.heads = new Map();
    this.epochValue = "mem-" + crypto.randomUUID();
  }
  async epoch() {
    return this.epochValue;
  }
  async head(key) {
    return this.heads.get(key) || 0;
  }
  /** The first seq of n contiguous seqs reserved for key. */
  async reserve(key, n) {
    const last = (this.heads.get(key) || 0) + n;
    this.heads.set(key, last);
    return last - n + 1;
  }
}

/** In Redis (INCRBY): survives a server restart, so the epoch is kept in Redis too. */
class RedisSeqs {
  constructor(client) {
    this.client = client;
  }
  async epoch() {
    if (!this.epochValue) {
      await this.client.set("sio:epoch", "redis-" + crypto.randomUUID(), { NX: true });
      this.epochValue = await this.client.get("sio:epoch");
    }
    return this.epochValue;
  }
  async head(key) {
    return Number((await this.client.get("sio:seq:" + key)) || 0);
  }
  async reserve(key, n) {
    return (await this.client.incrBy("sio:seq:" + key, n)) - n + 1;
  }
}

module.exports = { MemorySeqs, RedisSeqs };
