package dev.chatrelay.gateway.auth;

/** Reads {@code Authorization: Bearer <token>}. */
public final class BearerToken {

  private static final String PREFIX = "bearer ";

  private BearerToken() {}

  /** The token, or null when the header is absent, of another scheme, or empty. */
  public static String from(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.length() <= PREFIX.length()
        || !authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    String token = authorizationHeader.substring(PREFIX.length()).trim();
    return token.isEmpty() ? null : token;
  }
}
