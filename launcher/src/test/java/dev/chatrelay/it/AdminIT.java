package dev.chatrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code POST /admin/users/{sub}/disconnect}: 204 and 4503 for every connection of the user. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminIT {

  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  @Test
  void disconnectClosesEveryConnectionOfTheUserWith4503() {
    List<WsTestClient> alice = List.of(system.connectAs("admin-alice"),
        system.connectAs("admin-alice"), system.connectAs("admin-alice"));
    try (WsTestClient bob = system.connectAs("admin-bob")) {
      HistoryApi.Response response = system.api().disconnect(TestSystem.ADMIN_TOKEN,
          "admin-alice");
      assertEquals(204, response.status(), response.toString());
      for (WsTestClient connection : alice) {
        assertEquals(4503, connection.awaitClose());
      }
      Conversations.assertAlive(bob);
      assertFalse(bob.isClosed());
    }
  }

  @Test
  void disconnectingAUserWithoutConnectionsIsStill204() {
    assertEquals(204, system.api().disconnect(TestSystem.ADMIN_TOKEN, "admin-nobody").status());
  }

  @Test
  void withoutTheAdminTokenNothingHappens() {
    try (WsTestClient carol = system.connectAs("admin-carol")) {
      for (String token : new String[] {null, "wrong-admin-token", system.token("admin-carol")}) {
        HistoryApi.Response response = system.api().disconnect(token, "admin-carol");
        assertTrue(response.status() == 401 || response.status() == 403, response.toString());
        String code = response.status() == 401 ? "unauthorized" : "forbidden";
        assertEquals(code, response.json().getString("code"), response.toString());
      }
      Conversations.assertAlive(carol);
    }
  }

  @Test
  void adminApiIsOffWithoutRelayAdminToken() {
    try (TestSystem off = TestSystem.configure().unset("RELAY_ADMIN_TOKEN").start();
        WsTestClient dave = off.connectAs("admin-dave")) {
      for (String token : new String[] {null, TestSystem.ADMIN_TOKEN, ""}) {
        HistoryApi.Response response = off.api().disconnect(token, "admin-dave");
        assertTrue(response.status() == 404 || response.status() == 403
            || response.status() == 401, "admin API off: " + response);
      }
      Conversations.assertAlive(dave);
    }
  }
}
