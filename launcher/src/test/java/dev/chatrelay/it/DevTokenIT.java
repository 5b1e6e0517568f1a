package dev.chatrelay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PROTOCOL.md Limits: {@code POST /dev/token} answers only requests from a loopback address with
 * no {@code Forwarded} or {@code X-Forwarded-For} header; every other request gets 404.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevTokenIT {

  private TestSystem system;

  @BeforeAll
  void start() {
    system = TestSystem.configure().set("RELAY_DEV_TOKENS", "true").start();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private HistoryApi.Response post(Map<String, String> headers) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Content-Type", "application/json");
    return system.api().request(HttpMethod.POST, "/dev/token", all, new JsonObject().put("sub", "dev-u").encode());
  }

  @Test
  void aDirectLoopbackRequestGetsAToken() {
    HistoryApi.Response r = post(Map.of());
    assertEquals(200, r.status(), r.toString());
    assertEquals("dev-u", r.json().getString("sub"));
  }

  @Test
  void aForwardedRequestGets404() {
    assertEquals(404, post(Map.of("X-Forwarded-For", "203.0.113.7")).status());
    assertEquals(404, post(Map.of("Forwarded", "for=203.0.113.7")).status());
    assertEquals(404, post(Map.of("X-Forwarded-For", "127.0.0.1")).status(), "even naming loopback");
  }

  @Test
  void aRequestFromANonLoopbackAddressGets404() throws Exception {
    InetAddress own = null;
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (nic.isUp() && !a.isLoopbackAddress() && a instanceof Inet4Address) {
          own = a;
        }
      }
    }
    assumeTrue(own != null, "this machine has a non-loopback IPv4 address to connect from");
    String host = own.getHostAddress();
    int status = system.clientVertx().createHttpClient()
        .request(new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(system.port())
            .setURI("/dev/token").putHeader("Content-Type", "application/json"))
        .compose(req -> req.send("{\"sub\":\"dev-remote\"}"))
        .map(resp -> resp.statusCode())
        .await();
    assertEquals(404, status, "from " + host);
  }
}
