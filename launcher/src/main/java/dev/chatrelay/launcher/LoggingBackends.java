package dev.chatrelay.launcher;

/** Routes Vert.x and Hazelcast logging to SLF4J; must run before either library loads. */
public final class LoggingBackends {

  private LoggingBackends() {}

  public static void install() {
    setIfAbsent("vertx.logger-delegate-factory-class-name",
        "io.vertx.core.logging.SLF4JLogDelegateFactory");
    // Hazelcast's static loggers read the system property, not the member config.
    setIfAbsent("hazelcast.logging.type", "slf4j");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
