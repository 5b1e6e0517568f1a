package dev.chatrelay.relay;

import dev.chatrelay.protocol.bus.AckCommand;
import dev.chatrelay.protocol.bus.AppendCommand;
import dev.chatrelay.protocol.bus.BusRecord;
import dev.chatrelay.protocol.bus.CancelCommand;
import dev.chatrelay.protocol.bus.DeliveryReceipt;
import dev.chatrelay.protocol.bus.HistoryQuery;
import dev.chatrelay.protocol.bus.JobProgress;
import dev.chatrelay.protocol.bus.SendCommand;
import dev.chatrelay.protocol.bus.SubscribeCommand;
import dev.chatrelay.protocol.bus.UnsubscribeCommand;
import io.vertx.core.json.JsonObject;

/** Reads the command in a shard message: the record itself, or parsed from its JSON form by {@code op}. */
final class ShardCommands {

  private ShardCommands() {}

  /**
   * @throws IllegalArgumentException when the body is no command (unknown {@code op}, not a JSON
   *     object) or misses a field
   */
  static BusRecord read(Object body) {
    if (body instanceof BusRecord record) {
      return record;
    }
    if (!(body instanceof JsonObject json)) {
      throw new IllegalArgumentException("body is not a JSON object");
    }
    String op = String.valueOf(json.getValue("op"));
    return switch (op) {
      case SubscribeCommand.TAG -> SubscribeCommand.fromJson(json);
      case UnsubscribeCommand.TAG -> UnsubscribeCommand.fromJson(json);
      case AckCommand.TAG -> AckCommand.fromJson(json);
      case SendCommand.TAG -> SendCommand.fromJson(json);
      case CancelCommand.TAG -> CancelCommand.fromJson(json);
      case HistoryQuery.TAG -> HistoryQuery.fromJson(json);
      case AppendCommand.TAG -> AppendCommand.fromJson(json);
      case JobProgress.TAG -> JobProgress.fromJson(json);
      case DeliveryReceipt.TAG -> DeliveryReceipt.fromJson(json);
      default -> throw new IllegalArgumentException("unknown op " + op);
    };
  }
}
