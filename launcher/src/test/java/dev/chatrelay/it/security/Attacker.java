package dev.chatrelay.it.security;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** One attack loop on its own thread, until the test stops it or the server cuts it off. */
final class Attacker implements AutoCloseable {

  /** One step of the attack; throws once the server has closed the connection. */
  interface Step {
    void run() throws Exception;
  }

  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicReference<Throwable> ended = new AtomicReference<>();
  private final Thread thread;
  private final AutoCloseable connection;

  /** {@code connection} is closed first on {@link #close()}: it unblocks a blocked write. */
  Attacker(String name, AutoCloseable connection, Step step) {
    this.connection = connection;
    thread = new Thread(() -> {
      try {
        while (!stop.get()) {
          step.run();
        }
      } catch (Throwable t) {
        ended.set(t);
      }
    }, "attacker-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** True once the loop ended by itself (the server closed the connection). */
  boolean cutOff() {
    return !thread.isAlive() && ended.get() != null;
  }

  @Override
  public void close() throws Exception {
    stop.set(true);
    connection.close();
    thread.interrupt();
    thread.join(10_000);
  }
}
