package dev.chatrelay.relay;

import dev.chatrelay.relay.journal.Journal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** STUB for compiling the launcher; replaced by the relay helper's class at merge. */
public class RelayVerticle extends VerticleBase {

  public RelayVerticle(RelayConfig config, Journal journal) {}

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
