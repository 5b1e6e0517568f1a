package dev.chatrelay.it;

import static dev.chatrelay.it.Conversations.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM's first step, driven through {@code RunningSystem}: a drained gateway closes every
 * session with 1012 and stops accepting; clients resume on another gateway and lose nothing.
 */
class DrainIT {

  private static final int CLIENTS = 8;
  /** Replies take ~0.5 s, so the drain lands while they stream. */
  private static final String CHUNK_DELAY_MS = "60";

  /** One user with a reply in flight on the gateway being drained. */
  private record Session(String sub, String token, WsTestClient client, List<JsonObject> frames,
      String epoch) {

    long last() {
      return frames.isEmpty() ? 0 : frames.get(frames.size() - 1).getLong("seq");
    }
  }

  @Test
  void drainClosesEverySessionWith1012AndClientsResumeElsewhereWithoutLoss() {
    try (TestSystem system = TestSystem.configure()
        .set("RELAY_SCRIPTED_DELAY_MS", CHUNK_DELAY_MS).start()) {
      int otherGateway = system.deployExtraGateway();
      List<Session> sessions = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        String sub = "drain-" + i;
        String token = system.token(sub);
        WsTestClient client = system.connect();
        client.hello(token);
        JsonObject subscribed = subscribe(client, "d", 0);
        client.send(Commands.send("d", "m", "draining " + i));
        sessions.add(new Session(sub, token, client, new ArrayList<>(),
            subscribed.getString("epoch")));
      }
      // Let each reply start streaming before the drain.
      for (Session s : sessions) {
        s.client().until(m -> Replies.isFrame(m) && "chunk".equals(Replies.kind(m)),
            Conversations.REPLY_WAIT).stream().filter(Replies::isFrame).forEach(s.frames()::add);
      }

      system.running().drainGateways().await();
      for (Session s : sessions) {
        assertEquals(1012, s.client().awaitClose(), s.sub());
        s.client().drainQueued().stream().filter(Replies::isFrame).forEach(s.frames()::add);
        Replies.assertContiguous(s.frames(), 1);
      }
      assertFalse(system.running().gatewayRuntime().isReady(), "drained gateway not ready");
      assertEquals(503, system.api().get("/readyz", null).status(), "readiness while draining");
      assertEquals(503, system.api().get("/ws", null).status(), "upgrades refused while draining");
      assertThrows(Exception.class, () -> system.connect(), "drained gateway stops accepting");

      for (Session s : sessions) {
        try (WsTestClient resumed = system.connect(otherGateway,
            WsTestClient.Options.defaults())) {
          resumed.hello(s.token(), Commands.resume(
              Commands.resumeEntry("d", s.epoch(), s.last())));
          resumed.next("subscribed");
          if (s.frames().stream().noneMatch(f -> Replies.isEndOf(f, "m"))) {
            resumed.until(m -> {
              if (Replies.isFrame(m)) {
                assertEquals(s.last() + 1, m.getLong("seq"), "resumed without gap: " + m);
                s.frames().add(m);
              }
              return Replies.isEndOf(m, "m");
            }, Conversations.REPLY_WAIT);
          }
        }
        HistoryApi history = new HistoryApi(system.clientVertx(), otherGateway);
        try {
          assertEquals(history.allFrames(s.token(), "d"), s.frames(), s.sub());
        } finally {
          history.close();
        }
        String text = "draining " + s.sub().substring("drain-".length());
        Replies.assertReply(s.frames(), "d", "m", text, Replies.chunks(text, 8));
      }
    }
  }
}
