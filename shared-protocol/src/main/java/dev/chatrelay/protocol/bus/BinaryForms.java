package dev.chatrelay.protocol.bus;

import dev.chatrelay.protocol.FrameKind;
import dev.chatrelay.protocol.ThreadKey;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary forms of the records that cross processes once or more per frame (deliveries,
 * appends, acks and their batches, sends, job dispatch and progress): fields in declaration
 * order, strings as length-prefixed UTF-8. A frame payload inside an append stays JSON text; wire texts inside a
 * delivery are copied as they are.
 */
final class BinaryForms {

  /** Type bytes of the records in a {@link ShardRecordBatch}. */
  private static final byte ACK = 1;
  private static final byte RECEIPT = 2;
  private static final byte UNSUBSCRIBE = 3;

  private BinaryForms() {}

  static void write(BusWriter w, ThreadKey key) {
    w.str(key.sub()).str(key.thread());
  }

  static ThreadKey key(BusReader r) {
    return new ThreadKey(r.str(), r.str());
  }

  static void write(BusWriter w, Delivery d) {
    w.i64(d.conn()).i64(d.sid()).str(d.thread()).i64(d.firstSeq()).i64(d.lastSeq());
    w.i32(d.frames().size());
    for (String frame : d.frames()) {
      w.str(frame);
    }
    w.i32(d.runs().size());
    for (long n : d.runs()) {
      w.i64(n);
    }
  }

  static Delivery delivery(BusReader r) {
    long conn = r.i64();
    long sid = r.i64();
    String thread = r.str();
    long firstSeq = r.i64();
    long lastSeq = r.i64();
    int frameCount = r.i32();
    List<String> frames = new ArrayList<>(frameCount);
    for (int i = 0; i < frameCount; i++) {
      frames.add(r.str());
    }
    int runCount = r.i32();
    List<Long> runs = new ArrayList<>(runCount);
    for (int i = 0; i < runCount; i++) {
      runs.add(r.i64());
    }
    return new Delivery(conn, sid, thread, firstSeq, lastSeq, frames, runs);
  }

  static void write(BusWriter w, DeliveryBatch batch) {
    w.i32(batch.deliveries().size());
    batch.deliveries().forEach(d -> write(w, d));
  }

  static DeliveryBatch deliveries(BusReader r) {
    int count = r.i32();
    List<Delivery> deliveries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      deliveries.add(delivery(r));
    }
    return new DeliveryBatch(deliveries);
  }

  static void write(BusWriter w, AppendCommand a) {
    write(w, a.key());
    w.str(a.job()).i32(a.attempt()).i32(a.index()).i32(a.frames().size());
    for (AppendCommand.Part p : a.frames()) {
      w.str(p.kind().wire()).str(p.data().encode());
    }
  }

  static AppendCommand append(BusReader r) {
    ThreadKey key = key(r);
    String job = r.str();
    int attempt = r.i32();
    int index = r.i32();
    int count = r.i32();
    List<AppendCommand.Part> parts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      parts.add(new AppendCommand.Part(FrameKind.fromWire(r.str()), new JsonObject(r.str())));
    }
    return new AppendCommand(key, job, attempt, index, parts);
  }

  static void write(BusWriter w, AckCommand a) {
    write(w, a.key());
    w.str(a.gateway()).i64(a.conn()).i64(a.seq());
  }

  static AckCommand ack(BusReader r) {
    return new AckCommand(key(r), r.str(), r.i64(), r.i64());
  }

  static void write(BusWriter w, DeliveryReceipt d) {
    write(w, d.key());
    w.str(d.gateway()).i64(d.conn()).i64(d.sid()).i64(d.received()).i64(d.acked());
  }

  static DeliveryReceipt receipt(BusReader r) {
    return new DeliveryReceipt(key(r), r.str(), r.i64(), r.i64(), r.i64(), r.i64());
  }

  static void write(BusWriter w, UnsubscribeCommand u) {
    write(w, u.key());
    w.str(u.gateway()).i64(u.conn());
  }

  static UnsubscribeCommand unsubscribe(BusReader r) {
    return new UnsubscribeCommand(key(r), r.str(), r.i64());
  }

  /** Each record after a byte naming its type ({@link ShardRecordBatch} holds three). */
  static void write(BusWriter w, ShardRecordBatch batch) {
    w.i32(batch.records().size());
    for (BusRecord record : batch.records()) {
      if (record instanceof AckCommand a) {
        w.i8(ACK);
        write(w, a);
      } else if (record instanceof DeliveryReceipt d) {
        w.i8(RECEIPT);
        write(w, d);
      } else {
        w.i8(UNSUBSCRIBE);
        write(w, (UnsubscribeCommand) record);
      }
    }
  }

  static ShardRecordBatch shardRecords(BusReader r) {
    int count = r.i32();
    List<BusRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte type = r.i8();
      records.add(switch (type) {
        case ACK -> ack(r);
        case RECEIPT -> receipt(r);
        case UNSUBSCRIBE -> unsubscribe(r);
        default -> throw new IllegalArgumentException("unknown shard record type " + type);
      });
    }
    return new ShardRecordBatch(records);
  }

  static void write(BusWriter w, SendCommand s) {
    write(w, s.key());
    w.str(s.id()).str(s.text());
  }

  static SendCommand send(BusReader r) {
    return new SendCommand(key(r), r.str(), r.str());
  }

  static void write(BusWriter w, JobDispatch j) {
    write(w, j.key());
    w.str(j.job()).str(j.replyTo()).str(j.text()).i32(j.attempt()).i32(j.fromIndex())
        .bool(j.cancelled());
  }

  static JobDispatch dispatch(BusReader r) {
    return new JobDispatch(key(r), r.str(), r.str(), r.str(), r.i32(), r.i32(), r.bool());
  }

  static void write(BusWriter w, JobProgress j) {
    write(w, j.key());
    w.str(j.job()).i32(j.attempt()).bool(j.done());
  }

  static JobProgress progress(BusReader r) {
    return new JobProgress(key(r), r.str(), r.i32(), r.bool());
  }
}
