package dev.chatrelay.protocol.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * Registers a {@link BusCodec} as the default codec of every {@link BusRecord} type. Each role's
 * verticle calls {@link #register} when it starts, so a process running any subset of the roles
 * can send records and read the ones it receives; the first call per event bus registers, the
 * others do nothing.
 */
public final class BusCodecs {

  /** Event buses already set up; weak so a closed Vert.x is not kept alive. */
  private static final Set<EventBus> REGISTERED = Collections.newSetFromMap(new WeakHashMap<>());

  private BusCodecs() {}

  public static void register(EventBus bus) {
    synchronized (REGISTERED) {
      if (!REGISTERED.add(bus)) {
        return;
      }
      add(bus, AckCommand.class, AckCommand::fromJson);
      add(bus, AppendAccepted.class, AppendAccepted::fromJson);
      add(bus, AppendCommand.class, AppendCommand::fromJson);
      add(bus, CancelCommand.class, CancelCommand::fromJson);
      add(bus, CloseConnection.class, CloseConnection::fromJson);
      add(bus, Delivery.class, Delivery::fromJson);
      add(bus, DeliveryReceipt.class, DeliveryReceipt::fromJson);
      add(bus, DisconnectUser.class, DisconnectUser::fromJson);
      add(bus, HistoryPage.class, HistoryPage::fromJson);
      add(bus, HistoryQuery.class, HistoryQuery::fromJson);
      add(bus, JobCancel.class, JobCancel::fromJson);
      add(bus, JobDispatch.class, JobDispatch::fromJson);
      add(bus, JobProgress.class, JobProgress::fromJson);
      add(bus, JobTaken.class, JobTaken::fromJson);
      add(bus, SendAccepted.class, SendAccepted::fromJson);
      add(bus, SendCommand.class, SendCommand::fromJson);
      add(bus, SubscribeAnswer.class, SubscribeAnswer::fromJson);
      add(bus, SubscribeCommand.class, SubscribeCommand::fromJson);
      add(bus, SubscriptionMoved.class, SubscriptionMoved::fromJson);
      add(bus, SubscriptionReset.class, SubscriptionReset::fromJson);
      add(bus, UnsubscribeCommand.class, UnsubscribeCommand::fromJson);
    }
  }

  private static <T extends BusRecord> void add(EventBus bus, Class<T> type,
      Function<JsonObject, T> fromJson) {
    bus.registerDefaultCodec(type, new BusCodec<>(type, fromJson));
  }
}
