package dev.chatrelay.gateway.auth;

/** What a valid JWT proves: the user and until when (epoch seconds). */
public record VerifiedToken(String sub, long exp) {}
