package dev.chatrelay.gateway.auth;

import java.util.Objects;

/** One public key from the PEM file, with the JWT algorithm it verifies (RS256 or ES256). */
public record PublicKeyPem(String algorithm, String pem) {

  public PublicKeyPem {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(pem, "pem");
  }

  @Override
  public String toString() {
    return "PublicKeyPem[" + algorithm + "]";
  }
}
