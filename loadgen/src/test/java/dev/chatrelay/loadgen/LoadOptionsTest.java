package dev.chatrelay.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

  @Test
  void argumentsWinOverEnvironmentAndDefaultsFillTheRest() {
    LoadOptions o = LoadOptions.parse(new String[] {"--users", "7", "--scenario=fanout", "--connections-per-user", "3"},
        Map.of("LOADGEN_USERS", "9", "LOADGEN_SECRET", "s", "LOADGEN_DURATION_S", "5"));
    assertEquals(7, o.users());
    assertEquals(21, o.connections());
    assertEquals(5, o.durationS());
    assertEquals(Scenario.FANOUT, o.scenario());
    assertEquals("http://127.0.0.1:8080", o.http().toString());
    assertEquals("fanout", o.label());
  }

  @Test
  void relaySecretIsTheFallback() {
    assertEquals("r", LoadOptions.parse(new String[0], Map.of("RELAY_JWT_HS256_SECRET", "r")).secret());
    assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[0], Map.of()));
  }

  @Test
  void nonLoopbackUrlIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.parse(new String[] {"--secret", "s", "--url", "ws://10.1.2.3:8080/ws"}, Map.of()));
    assertTrue(e.getMessage().startsWith("--url: refusing non-loopback host"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.parse(new String[] {"--secret", "s", "--http", "http://example.com"}, Map.of()));
  }

  @Test
  void rateThatNeedsMoreSendsPerUserThanAllowedIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.parse(new String[] {"--secret", "s", "--users", "10", "--rate", "10000"}, Map.of()));
    assertTrue(e.getMessage().contains("raise --users to at least 21"), e.getMessage());
  }

  @Test
  void intervalFasterThanTheCommandLimitIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.parse(new String[] {"--secret", "s", "--interval-ms", "10"}, Map.of()));
    assertTrue(e.getMessage().contains("use at least 25"), e.getMessage());
  }

  @Test
  void unknownOptionsAndUnboundedRunsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--secret", "s", "--nope", "1"}, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--secret", "s", "--duration-s", "100000"}, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--secret", "s", "--users", "20000"}, Map.of()));
  }

  @Test
  void socketIoProtocolRunsChatAndFanoutOnly() {
    LoadOptions o = LoadOptions.parse(new String[] {"--secret", "s", "--protocol", "socketio",
        "--url", "ws://127.0.0.1:1/socket.io/?EIO=4&transport=websocket"}, Map.of());
    assertEquals(dev.chatrelay.loadgen.client.WireProtocol.SOCKETIO, o.protocol());
    assertEquals(dev.chatrelay.loadgen.client.WireProtocol.RELAY,
        LoadOptions.parse(new String[] {"--secret", "s"}, Map.of()).protocol());
    assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.parse(new String[] {"--secret", "s", "--protocol", "socketio", "--scenario", "storm"}, Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> LoadOptions.parse(new String[] {"--secret", "s", "--protocol", "mqtt"}, Map.of()));
  }
}
