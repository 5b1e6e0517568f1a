package dev.chatrelay.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.relay.journal.TestRedis;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Black box on the Redis journal: history, subscribe, unsubscribe and cancel of threads never
 * written create no Redis key, and the epoch those reads answered is the one the thread's first
 * write then journals under, so a cursor taken before it stays valid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadsNeverWriteIT {

  private static final int PROBES = 10;
  private final String prefix = TestRedis.uniquePrefix(ReadsNeverWriteIT.class);
  private TestSystem system;
  private Redis admin;

  @BeforeAll
  void start() {
    system = TestSystem.configure()
        .set("RELAY_REDIS_URL", TestRedis.url())
        .set("RELAY_REDIS_KEY_PREFIX", prefix)
        .start();
    admin = TestRedis.admin(system.clientVertx());
  }

  @AfterAll
  void stop() {
    TestRedis.deleteKeys(admin, prefix);
    admin.close();
    system.close();
  }

  private List<String> threadKeys() {
    return TestRedis.keys(admin, prefix).stream().filter(k -> k.contains(":t:")).toList();
  }

  @Test
  void readsOfUnknownThreadsLeaveNoKeyAndTheirEpochSurvivesTheFirstWrite() {
    String token = system.token("prober");
    HistoryApi api = system.api();
    String firstEpoch = null;
    for (int i = 0; i < PROBES; i++) {
      JsonObject page = api.page(token, "probe-" + i, null, null);
      assertEquals(0, page.getLong("head"), page.encode());
      if (i == 0) {
        firstEpoch = page.getString("epoch");
      }
    }
    WsTestClient client = system.connectAs("prober");
    for (int i = 0; i < PROBES; i++) {
      client.send(new JsonObject().put("type", "subscribe").put("thread", "probe-" + i)
          .put("after", 0));
      JsonObject subscribed = client.next("subscribed");
      assertEquals(0, subscribed.getLong("head"), subscribed.encode());
      client.send(new JsonObject().put("type", "cancel").put("thread", "probe-" + i)
          .put("replyTo", "nothing"));
      assertEquals("not_found", client.next("error").getString("code"));
      client.send(new JsonObject().put("type", "unsubscribe").put("thread", "probe-" + i));
      client.next("unsubscribed");
    }
    assertEquals(List.of(), threadKeys(), "reads created Redis keys");

    // The first write of probe-0 journals under the epoch its history page answered.
    assertEquals(202, api.postMessage(token, "probe-0", "m1", "hello").status());
    await().atMost(Duration.ofSeconds(10)).until(() -> !threadKeys().isEmpty());
    JsonObject page = api.page(token, "probe-0", null, null);
    assertTrue(page.getLong("head") >= 1, page.encode());
    assertEquals(firstEpoch, page.getString("epoch"));
    assertEquals(firstEpoch, HistoryApi.framesOf(page).get(0).getString("epoch"));
  }
}
