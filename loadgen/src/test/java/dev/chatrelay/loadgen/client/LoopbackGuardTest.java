package dev.chatrelay.loadgen.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoopbackGuardTest {

  @Test
  void loopbackHostsPass() {
    assertTrue(LoopbackGuard.isLoopback("127.0.0.1"));
    assertTrue(LoopbackGuard.isLoopback("127.9.8.7"));
    assertTrue(LoopbackGuard.isLoopback("localhost"));
    assertTrue(LoopbackGuard.isLoopback("[::1]"));
    assertEquals(8080, LoopbackGuard.requireLoopback("--url", "ws://[::1]:8080/ws").getPort());
  }

  @Test
  void otherHostsAreRefusedWithoutALookup() {
    assertFalse(LoopbackGuard.isLoopback("10.0.0.1"));
    assertFalse(LoopbackGuard.isLoopback("example.com"));
    assertFalse(LoopbackGuard.isLoopback("localhost.example.com"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoopbackGuard.requireLoopback("--url", "ws://192.168.1.5:8080/ws"));
    assertTrue(e.getMessage().contains("refusing non-loopback host '192.168.1.5'"), e.getMessage());
  }
}
