package dev.chatrelay.launcher.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** How log lines are written ({@code RELAY_LOG_FORMAT}): text for people, JSON lines for shippers. */
public enum LogFormat {
  /** {@code time level [thread] logger event=x.y key=value}, one event per line. */
  TEXT,
  /** One JSON object per line: time, level, logger, the message's keys, the message. */
  JSON;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for {@code text} and {@code json}. */
  public static boolean valid(String value) {
    return "text".equals(value) || "json".equals(value);
  }

  /** {@code text} or {@code json}; anything else is text. */
  public static LogFormat parse(String value) {
    return "json".equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))
        ? JSON : TEXT;
  }

  /**
   * Switches every {@link RelayLogEncoder} of the running logback to {@code format}. logback.xml
   * already reads {@code RELAY_LOG_FORMAT} from the environment; this applies the value of the
   * loaded configuration (which may come from {@code RELAY_CONFIG_FILE}). Returns how many
   * encoders were switched (0 when logback is not the backend or uses another encoder).
   */
  public static int apply(LogFormat format) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      return 0;
    }
    int switched = 0;
    for (Logger logger : context.getLoggerList()) {
      Iterator<Appender<ILoggingEvent>> appenders = logger.iteratorForAppenders();
      while (appenders.hasNext()) {
        if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> out
            && out.getEncoder() instanceof RelayLogEncoder encoder) {
          encoder.setFormat(format.wire());
          switched++;
        }
      }
    }
    return switched;
  }
}
