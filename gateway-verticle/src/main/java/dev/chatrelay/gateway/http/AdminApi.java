package dev.chatrelay.gateway.http;

import dev.chatrelay.protocol.log.LogSafe;
import dev.chatrelay.gateway.auth.BearerToken;
import dev.chatrelay.protocol.ErrorCode;
import dev.chatrelay.protocol.bus.Addresses;
import dev.chatrelay.protocol.bus.BusSends;
import dev.chatrelay.protocol.bus.DisconnectUser;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/users/{sub}/disconnect}: publishes {@link DisconnectUser} to every gateway,
 * which closes each connection of that user with 4503. Off (404) when {@code RELAY_ADMIN_TOKEN}
 * is unset; a wrong bearer is 401.
 */
public final class AdminApi {

  private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

  private final byte[] adminToken;
  private final EventBus bus;

  public AdminApi(String adminToken, EventBus bus) {
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    this.bus = bus;
  }

  public void disconnect(RoutingContext ctx) {
    if (adminToken == null) {
      HttpErrors.send(ctx, ErrorCode.NOT_FOUND, "admin API is off");
      return;
    }
    String given = BearerToken.from(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    // Constant-time: the comparison must not reveal how much of the token was right.
    if (given == null || !MessageDigest.isEqual(adminToken, given.getBytes(StandardCharsets.UTF_8))) {
      HttpErrors.send(ctx, ErrorCode.UNAUTHORIZED, "missing or wrong admin token");
      return;
    }
    String sub = ctx.pathParam("sub");
    if (sub == null || sub.isEmpty()) {
      HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "sub is empty");
      return;
    }
    BusSends.publish(bus, Addresses.GATEWAY_BROADCAST, new DisconnectUser(sub));
    log.info("event=admin.disconnect sub={}", LogSafe.of(sub));
    ctx.response().setStatusCode(204).end();
  }
}
