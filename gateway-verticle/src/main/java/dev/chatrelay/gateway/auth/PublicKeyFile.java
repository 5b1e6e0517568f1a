package dev.chatrelay.gateway.auth;

import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM file of {@code RELAY_JWT_PUBLIC_KEYS}: one or more {@code PUBLIC KEY} or
 * {@code CERTIFICATE} blocks. RSA keys verify RS256, P-256 keys verify ES256; anything else
 * fails at start with a message naming the variable.
 */
public final class PublicKeyFile {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");
  /** The group order n of NIST P-256 (secp256r1): tells it apart from other 256-bit curves. */
  private static final BigInteger P256_ORDER = new BigInteger(
      "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private PublicKeyFile() {}

  public static List<PublicKeyPem> load(String variable, String path) {
    String text;
    try {
      text = Files.readString(Path.of(path), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new InvalidConfigException(variable, path, "a readable PEM file (" + e.getMessage() + ")");
    }
    return parse(variable, path, text);
  }

  static List<PublicKeyPem> parse(String variable, String path, String text) {
    List<PublicKeyPem> keys = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String kind = m.group(1);
      String pem = "-----BEGIN " + kind + "-----\n" + m.group(2).replaceAll("\\s+", "\n").trim()
          + "\n-----END " + kind + "-----\n";
      keys.add(new PublicKeyPem(algorithmOf(variable, path, kind, m.group(2)), pem));
    }
    if (keys.isEmpty()) {
      throw new InvalidConfigException(variable, path, "a PEM file with at least one PUBLIC KEY block");
    }
    return keys;
  }

  private static String algorithmOf(String variable, String path, String kind, String base64) {
    PublicKey key;
    try {
      byte[] der = Base64.getMimeDecoder().decode(base64);
      key = switch (kind) {
        case "PUBLIC KEY" -> decodePublicKey(der);
        case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
        default -> throw new GeneralSecurityException("unsupported PEM block " + kind);
      };
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidConfigException(variable, path, "PUBLIC KEY or CERTIFICATE blocks (" + e.getMessage() + ")");
    }
    if (key instanceof RSAPublicKey) {
      return "RS256";
    }
    if (key instanceof ECPublicKey ec && ec.getParams().getOrder().equals(P256_ORDER)) {
      return "ES256";
    }
    throw new InvalidConfigException(variable, path, "RSA or P-256 EC public keys, found " + key.getAlgorithm());
  }

  private static PublicKey decodePublicKey(byte[] der) throws GeneralSecurityException {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    try {
      return KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePublic(spec);
    }
  }
}
