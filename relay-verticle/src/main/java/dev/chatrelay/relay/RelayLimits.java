package dev.chatrelay.relay;

import dev.chatrelay.protocol.config.ConfigSource;
import dev.chatrelay.protocol.config.Settings;

/**
 * The relay's share of PROTOCOL.md "Limits": what one client can make a relay hold or read.
 *
 * @param maxQueuedReplies  RELAY_MAX_QUEUED_REPLIES: reply jobs per thread, running or waiting; a
 *                          send beyond answers rate_limited and journals nothing
 * @param historyPageBytes  RELAY_HISTORY_PAGE_BYTES: frames of one history page, in wire bytes
 */
public record RelayLimits(int maxQueuedReplies, int historyPageBytes) {

  public static final String MAX_QUEUED_REPLIES = Settings.MAX_QUEUED_REPLIES.name();
  public static final String HISTORY_PAGE_BYTES = Settings.HISTORY_PAGE_BYTES.name();

  // Defaults: aliases of the registry (shared-protocol Settings), where each is declared once.
  public static final int DEFAULT_MAX_QUEUED_REPLIES = Settings.MAX_QUEUED_REPLIES.intDefault();
  public static final int DEFAULT_HISTORY_PAGE_BYTES = Settings.HISTORY_PAGE_BYTES.intDefault();
  public static final int MIN_HISTORY_PAGE_BYTES = (int) Settings.HISTORY_PAGE_BYTES.min();

  public RelayLimits {
    if (maxQueuedReplies < 1) {
      throw new ConfigSource.InvalidConfigException(MAX_QUEUED_REPLIES + " must be at least 1");
    }
    if (historyPageBytes < MIN_HISTORY_PAGE_BYTES) {
      throw new ConfigSource.InvalidConfigException(HISTORY_PAGE_BYTES + " must be at least " + MIN_HISTORY_PAGE_BYTES);
    }
  }

  public static RelayLimits defaults() {
    return new RelayLimits(DEFAULT_MAX_QUEUED_REPLIES, DEFAULT_HISTORY_PAGE_BYTES);
  }

  public static RelayLimits from(ConfigSource source) {
    return new RelayLimits(
        source.intValue(Settings.MAX_QUEUED_REPLIES),
        source.intValue(Settings.HISTORY_PAGE_BYTES));
  }
}
