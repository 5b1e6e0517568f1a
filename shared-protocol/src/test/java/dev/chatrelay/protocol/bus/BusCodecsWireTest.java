package dev.chatrelay.protocol.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every record type crosses processes through its registered codec and reads back equal; the
 * per-frame records use the binary codecs, and a record in one JVM is handed over as itself.
 */
class BusCodecsWireTest {

  private static final ThreadKey KEY = new ThreadKey("ålice \u0000 😀", "t-1");

  @Test
  void hotRecordsRoundTripThroughTheirBinaryCodecs() {
    List<BusRecord> records = List.of(
        new AckCommand(KEY, "gw-1", 7, 42),
        new AppendAccepted(Long.MAX_VALUE),
        new AppendCommand(KEY, "job-1", 3, 5, List.of(
            new AppendCommand.Part(FrameKind.CHUNK, new JsonObject().put("index", 0).put("text", "é\"x")),
            new AppendCommand.Part(FrameKind.MESSAGE, new JsonObject()))),
        new Delivery(1, 2, "t-1", 10, 14, List.of("{\"a\":1}", "ü"), List.of(1L, 13L)),
        new Delivery(1, 2, "t-1", 10, 10, List.of("x")),
        new DeliveryBatch(List.of(new Delivery(1, 2, "t-1", 10, 10, List.of("x")),
            new Delivery(3, 4, "t-2", 1, 3, List.of("a", "b"), List.of(1L, 2L)))),
        new DeliveryReceipt(KEY, "gw-1", 7, 3, 42, 40),
        new JobDispatch(KEY, "job-1", null, "hello", 2, 4, true),
        new JobProgress(KEY, "job-1", 2, false),
        new JobTaken("worker.abc"),
        new SendAccepted(-1),
        new SendCommand(KEY, "id-1", ""),
        new ShardRecordBatch(List.of(new AckCommand(KEY, "gw-1", 7, 42),
            new DeliveryReceipt(KEY, "gw-1", 7, 3, 42, 40),
            new UnsubscribeCommand(new ThreadKey("bob", "t-9"), "gw-1", 8),
            new AckCommand(KEY, "gw-1", 7, 43))));
    for (BusRecord record : records) {
      MessageCodec<?, ?> codec = BusCodecs.codecs().get(record.getClass());
      assertTrue(codec instanceof BinaryBusCodec, record.getClass() + " is binary");
      assertEquals(record, roundTrip(codec, record, 9));
    }
  }

  @Test
  void otherRecordsRoundTripAsJson() {
    BusRecord record = new JobCancel(KEY, "job-1", 2);
    MessageCodec<?, ?> codec = BusCodecs.codecs().get(JobCancel.class);
    assertTrue(codec instanceof BusCodec);
    assertEquals(record, roundTrip(codec, record, 0));
  }

  @Test
  void aLocalDeliveryHandsTheRecordOver() {
    Delivery d = new Delivery(1, 2, "t-1", 10, 10, List.of("x"));
    @SuppressWarnings("unchecked")
    MessageCodec<Delivery, Delivery> codec =
        (MessageCodec<Delivery, Delivery>) BusCodecs.codecs().get(Delivery.class);
    assertSame(d, codec.transform(d));
  }

  @Test
  void everyRecordTypeHasACodecWithItsOwnName() {
    long names = BusCodecs.codecs().values().stream().map(MessageCodec::name).distinct().count();
    assertEquals(BusCodecs.codecs().size(), names);
    assertEquals(23, names);
  }

  /** Encodes after {@code offset} bytes of other content, as the clustered bus does. */
  @SuppressWarnings("unchecked")
  private static Object roundTrip(MessageCodec<?, ?> codec, BusRecord record, int offset) {
    MessageCodec<Object, Object> c = (MessageCodec<Object, Object>) codec;
    Buffer buffer = Buffer.buffer();
    for (int i = 0; i < offset; i++) {
      buffer.appendByte((byte) i);
    }
    c.encodeToWire(buffer, record);
    return c.decodeFromWire(offset, buffer);
  }
}
