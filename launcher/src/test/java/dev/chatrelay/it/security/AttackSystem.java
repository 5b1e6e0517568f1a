package dev.chatrelay.it.security;

import dev.chatrelay.it.TestSystem;

/**
 * The system the attacks run against: default limits, except shorter waits so that a test sees
 * each answer in seconds (slow-consumer time 3 s, upgrade timeout 3 s), and scripted replies
 * slow enough (8 chunks × 20 ms) that a victim's reply latency means something.
 */
final class AttackSystem {

  static final long SLOW_CONSUMER_MS = 3_000;
  static final long UPGRADE_TIMEOUT_MS = 3_000;

  private AttackSystem() {}

  static TestSystem start() {
    return TestSystem.configure()
        .set("RELAY_SCRIPTED_DELAY_MS", "20")
        .set("RELAY_SLOW_CONSUMER_MS", String.valueOf(SLOW_CONSUMER_MS))
        .set("RELAY_UPGRADE_TIMEOUT_MS", String.valueOf(UPGRADE_TIMEOUT_MS))
        .start();
  }
}
