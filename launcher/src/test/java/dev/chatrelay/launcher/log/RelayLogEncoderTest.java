package dev.chatrelay.launcher.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.chatrelay.launcher.LauncherConfig;
import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.slf4j.LoggerFactory;

class RelayLogEncoderTest {

  private static RelayLogEncoder encoder(LoggerContext context, String format) {
    RelayLogEncoder encoder = new RelayLogEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.setPattern("%level %msg%n");
    encoder.start();
    return encoder;
  }

  private static LoggingEvent event(LoggerContext context, String message, Object... args) {
    Logger logger = context.getLogger("dev.chatrelay.relay.ShardHost");
    return new LoggingEvent(Logger.class.getName(), logger, Level.INFO, message, null, args);
  }

  @Test
  void jsonFormatWritesOneValidJsonLinePerEvent() {
    LoggerContext context = new LoggerContext();
    RelayLogEncoder encoder = encoder(context, "json");
    String out = new String(encoder.encode(event(context,
        "event=shard.acquired shard={} token={}", 7, 42)), StandardCharsets.UTF_8);
    assertTrue(out.endsWith("}\n") && out.indexOf('\n') == out.length() - 1, out);
    JsonObject line = new JsonObject(out.strip());
    assertEquals("shard.acquired", line.getString("event"));
    assertEquals(7, line.getValue("shard"));
    assertEquals(42, line.getValue("token"));
    assertEquals("INFO", line.getString("level"));
    assertEquals("dev.chatrelay.relay.ShardHost", line.getString("logger"));
  }

  @Test
  void textFormatUsesThePattern() {
    LoggerContext context = new LoggerContext();
    RelayLogEncoder encoder = encoder(context, "text");
    String out = new String(encoder.encode(event(context, "event=shard.acquired shard={}", 7)),
        StandardCharsets.UTF_8);
    assertEquals("INFO event=shard.acquired shard=7\n", out);
  }

  @Test
  void anUnknownFormatInLogbackXmlWritesText() {
    LoggerContext context = new LoggerContext();
    RelayLogEncoder encoder = encoder(context, "yaml");
    assertEquals("text", encoder.getFormat());
  }

  @Test
  void applySwitchesTheEncodersOfTheRunningLogback() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    RelayLogEncoder encoder = encoder(context, "text");
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
    Logger logger = context.getLogger("log-format-test");
    logger.addAppender(appender);
    try {
      assertTrue(LogFormat.apply(LogFormat.JSON) >= 1);
      assertEquals("json", encoder.getFormat());
      LogFormat.apply(LogFormat.TEXT);
      assertEquals("text", encoder.getFormat());
    } finally {
      logger.detachAppender(appender);
      appender.stop();
    }
  }

  @Test
  void theLauncherRefusesAnUnknownLogFormatNamingTheVariable() {
    Executable read = () -> LauncherConfig.from(ConfigSource.of(Map.of("RELAY_LOG_FORMAT", "xml")));
    InvalidConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        InvalidConfigException.class, read);
    assertEquals("invalid RELAY_LOG_FORMAT=xml: expected text or json", e.getMessage());
    assertEquals(LogFormat.JSON, LauncherConfig.from(ConfigSource.of(
        Map.of("RELAY_LOG_FORMAT", "json"))).logFormat());
    assertEquals(LogFormat.TEXT, LauncherConfig.from(ConfigSource.of(Map.of())).logFormat());
  }
}
