package dev.chatrelay.it.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.it.Commands;
import dev.chatrelay.it.Conversations;
import dev.chatrelay.it.TestSystem;
import dev.chatrelay.it.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Attacks on what a client can make the gateway hold (issue 9): many sockets for one user, a
 * huge resume list, oversize and deeply nested JSON, slowloris upgrades. Each gets the answer
 * PROTOCOL.md writes, and a victim's reply latency stays within 2x of its baseline meanwhile.
 */
@Tag("security")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourceSecurityIT {

  private TestSystem system;

  @BeforeAll
  void start() {
    system = AttackSystem.start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  @Test
  void manySocketsForOneUserBeyond32AreClosed4029() {
    try (Victim victim = new Victim(system, "victim-sockets")) {
      victim.baseline();
      List<WsTestClient> sockets = new ArrayList<>();
      int welcomed = 0;
      int refused = 0;
      try {
        for (int i = 0; i < 60; i++) {
          WsTestClient c = system.connect();
          sockets.add(c);
          c.send(Commands.hello(system.token("many-sockets")));
        }
        for (WsTestClient c : sockets) {
          JsonObject first = c.poll(WsTestClient.WAIT, false);
          if (first != null && "welcome".equals(first.getString("type"))) {
            welcomed++;
          } else {
            assertEquals(4029, c.awaitClose());
            refused++;
          }
        }
        assertEquals(32, welcomed);
        assertEquals(28, refused);
        victim.assertStillServed("60 sockets of one user");
      } finally {
        sockets.forEach(WsTestClient::close);
      }
    }
  }

  @Test
  void aResumeListOf2000EntriesSubscribes256AndAnswersTheRestLimitExceeded() {
    try (Victim victim = new Victim(system, "victim-resume")) {
      victim.baseline();
      JsonArray resume = new JsonArray();
      for (int i = 0; i < 2_000; i++) {
        resume.add(new JsonObject().put("thread", "t" + i).put("after", 0));
      }
      try (WsTestClient c = system.connect()) {
        c.hello(system.token("huge-resume"), resume);
        int subscribed = 0;
        for (int i = 0; i < 2_000; i++) {
          JsonObject m = c.next();
          if ("subscribed".equals(m.getString("type"))) {
            assertEquals("t" + i, m.getString("thread"));
            subscribed++;
          } else {
            assertEquals("limit_exceeded", m.getString("code"), m.encode());
            assertEquals("t" + i, m.getString("ref"));
          }
        }
        assertEquals(256, subscribed);
        victim.assertStillServed("a resume list of 2000 entries");
        Conversations.assertAlive(c);
      }
    }
  }

  @Test
  void oversizeAndDeeplyNestedJsonAreRefusedAsWritten() throws Exception {
    try (Victim victim = new Victim(system, "victim-json")) {
      victim.baseline();
      AtomicInteger rounds = new AtomicInteger();
      List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
      String oversize = "{\"type\":\"ping\",\"x\":\"" + "a".repeat(70_000) + "\"}";
      // 20,000 levels fit in 64 KiB; past Jackson's nesting limit it is no JSON object: 4500.
      String tooDeep = "{\"type\":\"ping\",\"x\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}";
      // Within the limit, unknown fields of any shape are ignored.
      String nested = "{\"type\":\"ping\",\"x\":" + "[{\"a\":".repeat(200) + "1" + "}]".repeat(200) + "}";
      try (Attacker attacker = new Attacker("json", () -> { }, () -> {
        try (WsTestClient c = system.connectAs("json-big")) {
          c.sendRaw(oversize);
          expect(wrong, "oversize", 4513, c.awaitClose());
        }
        try (WsTestClient c = system.connectAs("json-deep")) {
          c.sendRaw(tooDeep);
          expect(wrong, "too deep", 4500, c.awaitClose());
        }
        try (WsTestClient c = system.connectAs("json-nested")) {
          c.sendRaw(nested);
          String type = c.next().getString("type");
          if (!"pong".equals(type)) {
            wrong.add("nested answered " + type);
          }
        }
        rounds.incrementAndGet();
      })) {
        await().atMost(Duration.ofSeconds(20)).until(() -> rounds.get() >= 1);
        victim.assertStillServed("oversize and deeply nested JSON");
      }
      assertTrue(wrong.isEmpty(), wrong.toString());
      assertTrue(rounds.get() >= 2, "rounds during the measurement: " + rounds.get());
    }
  }

  private static void expect(List<String> wrong, String what, int code, int got) {
    if (got != code) {
      wrong.add(what + " closed " + got + ", expected " + code);
    }
  }

  @Test
  void slowlorisUpgradesAreClosedAfterTheUpgradeTimeout() throws Exception {
    try (Victim victim = new Victim(system, "victim-slowloris")) {
      victim.baseline();
      List<Socket> sockets = new ArrayList<>();
      long start = System.nanoTime();
      try {
        for (int i = 0; i < 50; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", system.port()), 5_000);
          s.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
          s.setSoTimeout(50);
          sockets.add(s);
        }
        try (Attacker trickle = new Attacker("slowloris", () -> { }, () -> {
          for (Socket s : sockets) {
            try {
              s.getOutputStream().write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closed) {
              // closed by the server: what the test waits for
            }
          }
          Thread.sleep(500); // one header line per socket every half second (pacing the attack)
        })) {
          victim.assertStillServed("50 slowloris upgrades");
          await().atMost(Duration.ofMillis(AttackSystem.UPGRADE_TIMEOUT_MS + 5_000))
              .until(() -> sockets.stream().allMatch(ResourceSecurityIT::closedByServer));
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= AttackSystem.UPGRADE_TIMEOUT_MS - 500, "closed after " + ms + " ms");
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }

  private static boolean closedByServer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      return in.read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
