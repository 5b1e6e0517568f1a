package dev.chatrelay.launcher;

import dev.chatrelay.protocol.config.ConfigSource.InvalidConfigException;
import java.util.Locale;

/** Which roles one process runs ({@code RELAY_ROLE}). */
public enum Role {
  ALL, GATEWAY, RELAY, WORKER;

  public boolean runsGateway() {
    return this == ALL || this == GATEWAY;
  }

  public boolean runsRelay() {
    return this == ALL || this == RELAY;
  }

  public boolean runsWorker() {
    return this == ALL || this == WORKER;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the value of {@code variable}; anything unknown fails naming the variable. */
  public static Role parse(String variable, String value) {
    for (Role role : values()) {
      if (role.wire().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return role;
      }
    }
    throw new InvalidConfigException(variable, value, "one of all, gateway, relay, worker");
  }
}
