package dev.chatrelay.protocol.bus;

/** Event-bus addresses shared by the roles. */
public final class Addresses {

  private Addresses() {}

  /** Commands for the threads of one shard, consumed by the shard's owning relay. */
  public static String shard(int shard) {
    return "relay.shard." + shard;
  }

  /**
   * One relay node (cluster mode): a gateway's batches of fire-and-forget shard records for the
   * shards it believes that node owns ({@link ShardRecordBatch}).
   */
  public static String relayNode(String node) {
    return "relay.node." + node;
  }

  /** Reply jobs, point-to-point to any worker (the event bus round-robins). */
  public static final String WORKER_JOBS = "worker.jobs";

  private static final String WORKER_PREFIX = "worker.";

  /** One worker instance, for cancelling the job it runs. */
  public static String worker(String workerId) {
    return WORKER_PREFIX + workerId;
  }

  /** The worker id in a {@link #worker} address, or null if {@code address} is not one. */
  public static String workerId(String address) {
    return address != null && address.startsWith(WORKER_PREFIX) && !address.equals(WORKER_JOBS)
        ? address.substring(WORKER_PREFIX.length()) : null;
  }

  /** Deliveries to one gateway instance; the connection id travels inside the message. */
  public static String gateway(String gatewayId) {
    return "gateway." + gatewayId;
  }

  /** Published to every gateway: operator actions such as disconnecting a user. */
  public static final String GATEWAY_BROADCAST = "gateway.broadcast";
}
