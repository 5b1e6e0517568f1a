package dev.chatrelay.launcher.log;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * The encoder of logback.xml: each event as a text line ({@code pattern}) or as one JSON line
 * ({@link JsonLine}), as {@code format} says ({@code ${RELAY_LOG_FORMAT:-text}} in logback.xml;
 * {@link LogFormat#apply} switches it once the configuration is loaded).
 */
public final class RelayLogEncoder extends EncoderBase<ILoggingEvent> {

  private static final byte[] NONE = new byte[0];

  private final PatternLayout layout = new PatternLayout();
  private String pattern = "%d %-5level [%thread] %logger{1} %msg%n";
  private volatile LogFormat format = LogFormat.TEXT;

  /** {@code text} or {@code json}; anything else is text (the launcher refuses it at start). */
  public void setFormat(String value) {
    if (value != null && !LogFormat.valid(value.trim())) {
      addWarn("RELAY_LOG_FORMAT=" + value + " is neither text nor json: writing text");
    }
    format = LogFormat.parse(value);
  }

  public String getFormat() {
    return format.wire();
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public void start() {
    layout.setContext(getContext());
    layout.setPattern(pattern);
    layout.start();
    super.start();
  }

  @Override
  public void stop() {
    layout.stop();
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = format == LogFormat.JSON ? json(event) + "\n" : layout.doLayout(event);
    return line.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }

  private static String json(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    return JsonLine.render(event.getTimeStamp(), event.getLevel().toString(),
        event.getLoggerName(), event.getThreadName(), event.getFormattedMessage(),
        thrown == null ? null : ThrowableProxyUtil.asString(thrown));
  }
}
