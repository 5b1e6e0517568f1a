package dev.chatrelay.relay.journal;

/** STUB for compiling the launcher; replaced by the relay helper's interface at merge. */
public interface Journal {}
