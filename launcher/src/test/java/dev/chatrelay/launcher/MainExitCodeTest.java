package dev.chatrelay.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Main refuses an invalid configuration with exit code 2 and a message naming the variable. */
class MainExitCodeTest {

  /** Exit code and everything the process wrote. */
  private record Result(int exit, String stderr) {}

  private static Result run(Map<String, String> env) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp",
        System.getProperty("java.class.path"), Main.class.getName());
    builder.environment().keySet().removeIf(key -> key.startsWith("RELAY_"));
    builder.environment().putAll(env);
    // Invalid values go to stderr; start failures are logged (stdout): read both.
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String stderr = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Main did not exit: " + stderr);
    }
    return new Result(process.exitValue(), stderr);
  }

  @Test
  void badRoleExitsTwoNamingTheVariable() throws Exception {
    Result result = run(Map.of("RELAY_ROLE", "router"));
    assertEquals(2, result.exit(), result.stderr());
    assertTrue(result.stderr().contains("RELAY_ROLE"), result.stderr());
  }

  @Test
  void invalidNumberExitsTwoNamingTheVariable() throws Exception {
    Result result = run(Map.of("RELAY_SHUTDOWN_TIMEOUT_MS", "soon"));
    assertEquals(2, result.exit(), result.stderr());
    assertTrue(result.stderr().contains("RELAY_SHUTDOWN_TIMEOUT_MS"), result.stderr());
  }

  @Test
  void aRedisUrlOfAnotherSchemeExitsTwoNamingTheVariable() throws Exception {
    Result result = run(Map.of("RELAY_REDIS_URL", "http://127.0.0.1:6379/0",
        "RELAY_JWT_HS256_SECRET", "main-exit-code-test-secret-0123456789"));
    assertEquals(2, result.exit(), result.stderr());
    assertTrue(result.stderr().contains("RELAY_REDIS_URL"), result.stderr());
  }

  @Test
  void anHs256SecretUnder32BytesExitsTwoNamingTheVariable() throws Exception {
    Result result = run(Map.of("RELAY_JWT_HS256_SECRET", "too-short-secret",
        "RELAY_HTTP_PORT", String.valueOf(FreePorts.find())));
    assertEquals(2, result.exit(), result.stderr());
    assertTrue(result.stderr().contains("RELAY_JWT_HS256_SECRET"), result.stderr());
    assertTrue(!result.stderr().contains("too-short-secret"), "the secret is not printed: " + result.stderr());
  }

  @Test
  void anUnreachableRedisExitsOneNamingIt() throws Exception {
    int closed = FreePorts.find();
    Result result = run(Map.of("RELAY_REDIS_URL", "redis://127.0.0.1:" + closed,
        "RELAY_HTTP_PORT", String.valueOf(FreePorts.find()),
        "RELAY_JWT_HS256_SECRET", "main-exit-code-test-secret-0123456789"));
    assertEquals(1, result.exit(), result.stderr());
    assertTrue(result.stderr().contains("cannot connect to redis at redis://127.0.0.1:" + closed),
        result.stderr());
  }
}
