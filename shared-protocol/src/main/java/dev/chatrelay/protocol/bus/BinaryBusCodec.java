package dev.chatrelay.protocol.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The event-bus codec of a record on the frame hot path: within one JVM the record itself, as
 * {@link BusCodec}; between processes a compact binary form ({@link BinaryForms}) instead of JSON,
 * so no JSON tree is built or parsed per message (JFR: Jackson was 10-15% of each role's CPU).
 * Its name differs from the JSON codec's, so a process without it fails the message loudly
 * instead of misreading it.
 */
final class BinaryBusCodec<T extends BusRecord> implements MessageCodec<T, T> {

  /** Prefix of every binary codec name; the name travels with each clustered message. */
  static final String NAME_PREFIX = BusCodec.NAME_PREFIX + "bin.";

  private final String name;
  private final BiConsumer<BusWriter, T> writer;
  private final Function<BusReader, T> reader;

  BinaryBusCodec(Class<T> type, BiConsumer<BusWriter, T> writer, Function<BusReader, T> reader) {
    this.name = NAME_PREFIX + type.getSimpleName();
    this.writer = writer;
    this.reader = reader;
  }

  @Override
  public void encodeToWire(Buffer buffer, T record) {
    writer.accept(new BusWriter(buffer), record);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    return reader.apply(new BusReader(buffer, pos));
  }

  /** The same instance: records are immutable, so sharing one within the JVM is safe. */
  @Override
  public T transform(T record) {
    return record;
  }

  @Override
  public String name() {
    return name;
  }

  /** Not a Vert.x system codec. */
  @Override
  public byte systemCodecID() {
    return -1;
  }
}
