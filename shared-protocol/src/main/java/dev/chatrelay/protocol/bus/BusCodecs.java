package dev.chatrelay.protocol.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Registers the default codec of every {@link BusRecord} type: a {@link BinaryBusCodec} for the
 * records crossing processes per frame, a {@link BusCodec} (JSON) for the others. Each role's
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
      codecs().forEach((type, codec) -> registerDefault(bus, type, codec));
    }
  }

  /** The codec of each record type, the one {@link #register} makes its default. */
  static Map<Class<?>, MessageCodec<?, ?>> codecs() {
    Map<Class<?>, MessageCodec<?, ?>> codecs = new LinkedHashMap<>();
    binary(codecs, AckCommand.class, BinaryForms::write, BinaryForms::ack);
    binary(codecs, AppendAccepted.class, (w, a) -> w.i64(a.seq()), r -> new AppendAccepted(r.i64()));
    binary(codecs, AppendCommand.class, BinaryForms::write, BinaryForms::append);
    json(codecs, CancelCommand.class, CancelCommand::fromJson);
    json(codecs, CloseConnection.class, CloseConnection::fromJson);
    binary(codecs, Delivery.class, BinaryForms::write, BinaryForms::delivery);
    binary(codecs, DeliveryBatch.class, BinaryForms::write, BinaryForms::deliveries);
    binary(codecs, DeliveryReceipt.class, BinaryForms::write, BinaryForms::receipt);
    json(codecs, DisconnectUser.class, DisconnectUser::fromJson);
    json(codecs, HistoryPage.class, HistoryPage::fromJson);
    json(codecs, HistoryQuery.class, HistoryQuery::fromJson);
    json(codecs, JobCancel.class, JobCancel::fromJson);
    binary(codecs, JobDispatch.class, BinaryForms::write, BinaryForms::dispatch);
    binary(codecs, JobProgress.class, BinaryForms::write, BinaryForms::progress);
    binary(codecs, JobTaken.class, (w, t) -> w.str(t.worker()), r -> new JobTaken(r.str()));
    binary(codecs, SendAccepted.class, (w, a) -> w.i64(a.seq()), r -> new SendAccepted(r.i64()));
    binary(codecs, SendCommand.class, BinaryForms::write, BinaryForms::send);
    binary(codecs, ShardRecordBatch.class, BinaryForms::write, BinaryForms::shardRecords);
    json(codecs, SubscribeAnswer.class, SubscribeAnswer::fromJson);
    json(codecs, SubscribeCommand.class, SubscribeCommand::fromJson);
    json(codecs, SubscriptionMoved.class, SubscriptionMoved::fromJson);
    json(codecs, SubscriptionReset.class, SubscriptionReset::fromJson);
    json(codecs, UnsubscribeCommand.class, UnsubscribeCommand::fromJson);
    return codecs;
  }

  @SuppressWarnings("unchecked")
  private static <T> void registerDefault(EventBus bus, Class<T> type, MessageCodec<?, ?> codec) {
    bus.registerDefaultCodec(type, (MessageCodec<T, ?>) codec);
  }

  private static <T extends BusRecord> void json(Map<Class<?>, MessageCodec<?, ?>> codecs,
      Class<T> type, Function<JsonObject, T> fromJson) {
    codecs.put(type, new BusCodec<>(type, fromJson));
  }

  /** A record on the per-frame path: binary between processes ({@link BinaryForms}). */
  private static <T extends BusRecord> void binary(Map<Class<?>, MessageCodec<?, ?>> codecs,
      Class<T> type, BiConsumer<BusWriter, T> writer, Function<BusReader, T> reader) {
    codecs.put(type, new BinaryBusCodec<>(type, writer, reader));
  }
}
