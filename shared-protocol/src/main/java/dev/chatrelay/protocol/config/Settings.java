package dev.chatrelay.protocol.config;

import static dev.chatrelay.protocol.config.Setting.Reader.GATEWAY;
import static dev.chatrelay.protocol.config.Setting.Reader.LAUNCHER;
import static dev.chatrelay.protocol.config.Setting.Reader.RELAY;
import static dev.chatrelay.protocol.config.Setting.Reader.WORKER;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry: every {@code RELAY_*} setting of every role, declared once, one line each.
 * Role configs (GatewayConfig, RelayConfig, WorkerConfig, LauncherConfig, ClusterConfig,
 * RedisJournalOptions) read through these constants; the README table and
 * k8s/validate/known-env.txt are generated from {@link #all()} (launcher's SettingsDocs).
 * To add a setting: add one line below, read it with {@code source.longValue(Settings.X)} in the
 * role's config, then regenerate the docs (see SettingsDocs).
 */
public final class Settings {

  private static final List<Setting> ALL = new ArrayList<>();
  private static final long DAY_MS = 86_400_000L;
  private static final long MILLION = 1_000_000L;

  // --- Process: which roles run, and how (read by the launcher) ---------------------------------
  public static final Setting ROLE = add(Setting.text("RELAY_ROLE", "all", "roles of this process: `all`, `gateway`, `relay`, `worker`", LAUNCHER));
  public static final Setting CONFIG_FILE = add(Setting.text("RELAY_CONFIG_FILE", null, "JSON file of `RELAY_*` values (the environment wins over it)", LAUNCHER));
  // One gateway verticle per core spreads sockets over all event loops.
  // Vert.x's own default is two per core; each hop between two loops is a thread wake-up (bench/HISTORY.md).
  public static final Setting EVENT_LOOPS = add(Setting.integer("RELAY_EVENT_LOOPS", 1, 1, 1024, "event-loop threads of this process (Vert.x); the relay serves every shard from one, so more only spread the I/O", LAUNCHER).computed("cores"));
  public static final Setting GATEWAY_INSTANCES = add(Setting.integer("RELAY_GATEWAY_INSTANCES", 1, 1, 1024, "gateway verticle instances sharing the port", LAUNCHER).computed("cores"));
  public static final Setting HEALTH_PORT = add(Setting.integer("RELAY_HEALTH_PORT", 0, 0, 65_535, "`/healthz`, `/readyz`, `/metrics` for processes without a gateway; 0 = none", LAUNCHER).shownAs("0 = none"));
  // Below Kubernetes' default 30 s termination grace period.
  public static final Setting SHUTDOWN_TIMEOUT_MS = add(Setting.integer("RELAY_SHUTDOWN_TIMEOUT_MS", 25_000, 100, 600_000, "bound on the graceful-stop steps", LAUNCHER));
  public static final Setting READY_CHECK_MS = add(Setting.integer("RELAY_READY_CHECK_MS", 1_000, 10, 600_000, "a clustered gateway checks this often that some relay consumes every shard (readiness)", LAUNCHER));
  // A relay handover takes a few seconds; readiness must not flip a whole tier for it.
  public static final Setting READY_SHARD_GRACE_MS = add(Setting.integer("RELAY_READY_SHARD_GRACE_MS", 15_000, 0, 600_000, "a shard may lack a relay this long (a handover) before a gateway turns unready", LAUNCHER));
  // Keeps /metrics and /admin off the public Service.
  public static final Setting ADMIN_PORT = add(Setting.integer("RELAY_ADMIN_PORT", 0, 0, 65_535, "internal listener for `/healthz`, `/readyz`, `/metrics`, `/admin/*`; when set, the public port no longer serves `/metrics` and `/admin`; 0 = off", LAUNCHER).shownAs("0 = off"));
  // Past this a session's shard has no reachable relay: the client is better off on another gateway.
  // A relay split healing in 10 s leaves the other half's shards without a consumer ~14 s (DECISIONS).
  public static final Setting SHARD_UNREACHABLE_CLOSE_MS = add(Setting.integer("RELAY_SHARD_UNREACHABLE_CLOSE_MS", 20_000, 100, 3_600_000, "a gateway closes (1013) the sessions of a shard no relay consumed for this long", LAUNCHER));
  // Much longer than a handover: only a gateway cut off from the cluster gets here.
  public static final Setting SHARD_UNREACHABLE_UNHEALTHY_MS = add(Setting.integer("RELAY_SHARD_UNREACHABLE_UNHEALTHY_MS", 60_000, 100, 3_600_000, "a gateway with a shard no relay consumed for this long fails `/healthz` (so it is restarted); more than the close bound", LAUNCHER));
  // Text for people; JSON lines for log shippers (one object per line, the event's keys as fields).
  public static final Setting LOG_FORMAT = add(Setting.text("RELAY_LOG_FORMAT", "text", "`text` (`event=x.y key=value` lines) or `json` (one JSON object per line, for log shippers)", LAUNCHER));

  // --- Cluster: Hazelcast membership and the clustered event bus (launcher) ---------------------
  public static final Setting CLUSTER_MEMBERS = add(Setting.text("RELAY_CLUSTER_MEMBERS", null, "`host:port,...` Hazelcast members (one each, no ranges)", LAUNCHER).shownAs("none = not clustered"));
  public static final Setting CLUSTER_KUBERNETES_SERVICE = add(Setting.text("RELAY_CLUSTER_KUBERNETES_SERVICE", null, "join by Kubernetes discovery of this headless Service", LAUNCHER));
  public static final Setting CLUSTER_KUBERNETES_NAMESPACE = add(Setting.text("RELAY_CLUSTER_KUBERNETES_NAMESPACE", null, "namespace for discovery", LAUNCHER).shownAs("the pod's"));
  // Processes with another name never join this cluster.
  public static final Setting CLUSTER_NAME = add(Setting.text("RELAY_CLUSTER_NAME", "chat-relay", "Hazelcast cluster name", LAUNCHER));
  // In Kubernetes set it to the pod IP.
  public static final Setting CLUSTER_HOST = add(Setting.text("RELAY_CLUSTER_HOST", "127.0.0.1", "address Hazelcast and the event bus bind and advertise", LAUNCHER));
  public static final Setting CLUSTER_PORT = add(Setting.integer("RELAY_CLUSTER_PORT", 5701, 1, 65_535, "Hazelcast member port", LAUNCHER));
  // 0 picks a free port (it is advertised through Hazelcast); Kubernetes needs a fixed one.
  public static final Setting EVENTBUS_PORT = add(Setting.integer("RELAY_EVENTBUS_PORT", 0, 0, 65_535, "clustered event-bus port; 0 = a free one", LAUNCHER).shownAs("0 = free"));
  // Vert.x pings each outbound bus connection every 20 s and drops it 20 s after a missed pong: after a
  // cut link, messages sat for seconds in a dead socket waiting for TCP's backed-off resend.
  public static final Setting EVENTBUS_PING_MS = add(Setting.integer("RELAY_EVENTBUS_PING_MS", 1_000, 100, 60_000, "each event-bus connection to another node is pinged this often", LAUNCHER));
  public static final Setting EVENTBUS_PING_TIMEOUT_MS = add(Setting.integer("RELAY_EVENTBUS_PING_TIMEOUT_MS", 3_000, 100, 120_000, "a connection whose pong is this late is closed; the next message opens a new one (sends meanwhile fail and are retried)", LAUNCHER));
  // Hazelcast membership stays unauthenticated (open-source edition): the event bus must not be.
  public static final Setting EVENTBUS_TLS = add(Setting.text("RELAY_EVENTBUS_TLS", "auto", "`auto`: mutual TLS when the three files below are set, else plaintext with a warning at start; `required`: refuse to start without them (exit 2); `off`: plaintext (docs/SECURITY.md)", LAUNCHER));
  public static final Setting EVENTBUS_TLS_CERT = add(Setting.text("RELAY_EVENTBUS_TLS_CERT", null, "PEM certificate chain of this node (`scripts/make-eventbus-certs.sh`)", LAUNCHER));
  public static final Setting EVENTBUS_TLS_KEY = add(Setting.text("RELAY_EVENTBUS_TLS_KEY", null, "PEM private key of `RELAY_EVENTBUS_TLS_CERT` (PKCS#8 or PKCS#1)", LAUNCHER));
  public static final Setting EVENTBUS_TLS_CA = add(Setting.text("RELAY_EVENTBUS_TLS_CA", null, "PEM CA every peer's event-bus certificate must chain to", LAUNCHER));
  // Hazelcast's default is 5 s.
  public static final Setting CLUSTER_HEARTBEAT_SECONDS = add(Setting.integer("RELAY_CLUSTER_HEARTBEAT_SECONDS", 1, 1, 60, "members heartbeat each other this often", LAUNCHER));
  // A killed process is noticed within ~5 s (Hazelcast's default is 60).
  public static final Setting CLUSTER_MAX_NO_HEARTBEAT_SECONDS = add(Setting.integer("RELAY_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", 4, 2, 600, "a member silent this long (and half a heartbeat) is dropped (must exceed the heartbeat)", LAUNCHER));
  // Hazelcast suspects one silent member per check, in member order; an election then waits 5 s on each silent one it still asks.
  public static final Setting CLUSTER_SUSPICION_CHECK_MS = add(Setting.integer("RELAY_CLUSTER_SUSPICION_CHECK_MS", 100, 10, 1_000, "how often a member looks for others silent past `RELAY_CLUSTER_MAX_NO_HEARTBEAT_SECONDS` and suspects them all at once, so an election never waits on one (Hazelcast's own check, two heartbeats later, is the backstop)", LAUNCHER));
  // Gateways and workers hold no partitions of Vert.x's maps, so scaling them migrates none.
  public static final Setting CLUSTER_LITE_MEMBER = add(Setting.flag("RELAY_CLUSTER_LITE_MEMBER", false, "join Hazelcast as a lite member (no partitions); gateways and workers only, refused for relays (exit 2); a lite member that sees no data member for `RELAY_CLUSTER_DATA_MEMBER_LOSS_GRACE_MS` exits 3", LAUNCHER));
  // Hazelcast's default graceful leave waits 600 s, far past any termination grace period.
  public static final Setting CLUSTER_SHUTDOWN_WAIT_SECONDS = add(Setting.integer("RELAY_CLUSTER_SHUTDOWN_WAIT_SECONDS", 10, 1, 600, "Hazelcast graceful-leave bound (partition hand-off); a full stop takes at most `RELAY_SHUTDOWN_TIMEOUT_MS` + this + 5 s", LAUNCHER));
  // A lite member cut off by a partition sees no relay until the merge after the heal: it must outwait that.
  public static final Setting CLUSTER_DATA_MEMBER_LOSS_GRACE_MS = add(Setting.integer("RELAY_CLUSTER_DATA_MEMBER_LOSS_GRACE_MS", 20_000, 1_000, 3_600_000, "a lite member that sees no data member (every relay gone, or itself cut off) waits this long for one, a merge back, before it exits 3 to be restarted and register again", LAUNCHER));
  public static final Setting CLUSTER_DATA_MEMBER_WAIT_MS = add(Setting.integer("RELAY_CLUSTER_DATA_MEMBER_WAIT_MS", 120_000, 1_000, 3_600_000, "a lite member waits this long at start for a data member (a relay) to hold Vert.x's maps", LAUNCHER));
  // Hazelcast looks for a split-off part after 300 s, then every 120 s: minutes of a stranded member.
  public static final Setting CLUSTER_MERGE_DELAY_SECONDS = add(Setting.integer("RELAY_CLUSTER_MERGE_DELAY_SECONDS", 3, 1, 600, "a member split off (paused or partitioned) looks for the rest of the cluster this often and merges back", LAUNCHER));
  // Hazelcast's own 120 s: lower bounds a split's election but leaves members that lose the master late out of it (DECISIONS).
  public static final Setting CLUSTER_MASTERSHIP_CLAIM_SECONDS = add(Setting.integer("RELAY_CLUSTER_MASTERSHIP_CLAIM_SECONDS", 120, 1, 600, "a member that lost the master and leads the election waits at most this long for the others' answers, and tries this often towards a member that has not lost the master yet (below ~14 such a member is left out and rejoins by a merge)", LAUNCHER));
  // Hazelcast waits 300 s on a migration towards a paused member, blocking Vert.x's registrations.
  public static final Setting CLUSTER_MIGRATION_TIMEOUT_SECONDS = add(Setting.integer("RELAY_CLUSTER_MIGRATION_TIMEOUT_SECONDS", 10, 1, 3_600, "a partition migration towards an unresponsive member gives up after this", LAUNCHER));

  // --- Gateway: WebSocket/HTTP edge -------------------------------------------------------------
  public static final Setting HTTP_PORT = add(Setting.integer("RELAY_HTTP_PORT", 8080, -1, 65_535, "gateway HTTP/WebSocket port; 0 = random per instance, -1 = one random port shared (tests)", GATEWAY));
  public static final Setting JWT_HS256_SECRET = add(Setting.secret("RELAY_JWT_HS256_SECRET", "HS256 key (UTF-8 bytes); this or `RELAY_JWT_PUBLIC_KEYS` is required", GATEWAY, LAUNCHER).shownAs("none (embedded run: random, printed)"));
  public static final Setting JWT_PUBLIC_KEYS = add(Setting.text("RELAY_JWT_PUBLIC_KEYS", null, "PEM file with RS256/ES256 public keys", GATEWAY, LAUNCHER));
  public static final Setting JWT_ISSUER = add(Setting.text("RELAY_JWT_ISSUER", null, "required `iss` when set", GATEWAY, LAUNCHER));
  public static final Setting JWT_AUDIENCE = add(Setting.text("RELAY_JWT_AUDIENCE", null, "required `aud` when set", GATEWAY, LAUNCHER));
  public static final Setting JWT_LEEWAY_MS = add(Setting.integer("RELAY_JWT_LEEWAY_MS", 5_000, 0, 600_000, "clock leeway for `exp`/`nbf`", GATEWAY));
  public static final Setting ALLOWED_ORIGINS = add(Setting.text("RELAY_ALLOWED_ORIGINS", null, "comma list of allowed `Origin`s; `*` allows all", GATEWAY).computed("`http://localhost:<port>,http://127.0.0.1:<port>`"));
  public static final Setting HEARTBEAT_MS = add(Setting.integer("RELAY_HEARTBEAT_MS", 25_000, 10, 3_600_000, "server ping interval; silence for twice this closes 4001", GATEWAY));
  public static final Setting HELLO_TIMEOUT_MS = add(Setting.integer("RELAY_HELLO_TIMEOUT_MS", 5_000, 10, 600_000, "time allowed for `hello` (else 4003)", GATEWAY));
  public static final Setting TOKEN_EXPIRING_MS = add(Setting.integer("RELAY_TOKEN_EXPIRING_MS", 60_000, 0, DAY_MS, "`token_expiring` lead time", GATEWAY));
  // 64 KiB.
  public static final Setting MAX_FRAME_BYTES = add(Setting.integer("RELAY_MAX_FRAME_BYTES", 65_536, 256, 16L * 1024 * 1024, "largest client message (else 4513)", GATEWAY));
  public static final Setting ADMIN_TOKEN = add(Setting.secret("RELAY_ADMIN_TOKEN", "bearer token of the admin API", GATEWAY).shownAs("none = admin API off"));
  // Every role hashes threads onto the same shards, so all must agree.
  public static final Setting SHARDS = add(Setting.integer("RELAY_SHARDS", 64, 1, 65_536, "thread shards (same on every role)", GATEWAY, RELAY, WORKER));
  public static final Setting RATE_LIMIT_PER_S = add(Setting.integer("RELAY_RATE_LIMIT_PER_S", 50, 1, MILLION, "commands per second per connection", GATEWAY));
  public static final Setting RATE_LIMIT_BURST = add(Setting.integer("RELAY_RATE_LIMIT_BURST", 100, 1, MILLION, "command burst per connection", GATEWAY));
  public static final Setting RATE_LIMIT_CLOSE_MS = add(Setting.integer("RELAY_RATE_LIMIT_CLOSE_MS", 5_000, 0, 3_600_000, "rejections persisting this long close 4029", GATEWAY));
  public static final Setting RATE_LIMIT_QUIET_MS = add(Setting.integer("RELAY_RATE_LIMIT_QUIET_MS", 1_000, 1, 3_600_000, "a pause this long between rejections ends a streak", GATEWAY));
  // A page loading a few threads' history at once fits in the burst.
  public static final Setting HTTP_RATE_PER_S = add(Setting.integer("RELAY_HTTP_RATE_PER_S", 20, 1, MILLION, "thread API requests (history, posted messages) per second per user and gateway process; over it 429 `rate_limited` with `Retry-After`", GATEWAY));
  public static final Setting HTTP_RATE_BURST = add(Setting.integer("RELAY_HTTP_RATE_BURST", 40, 1, MILLION, "thread API request burst per user and gateway process", GATEWAY));
  // --- Limits: what one client can make the server hold (docs/PROTOCOL.md, Limits) ---------------
  // A chat UI shows far fewer threads than this.
  public static final Setting MAX_SUBSCRIPTIONS = add(Setting.integer("RELAY_MAX_SUBSCRIPTIONS", 256, 1, MILLION, "subscriptions per connection; beyond: `error limit_exceeded`", GATEWAY));
  // Tabs and devices of one person; beyond it a further `hello` gets close 4029.
  public static final Setting MAX_CONNECTIONS_PER_USER = add(Setting.integer("RELAY_MAX_CONNECTIONS_PER_USER", 32, 1, MILLION, "connections per user on one gateway process; a further `hello` gets close 4029", GATEWAY));
  // 1 MiB: a client that sends without reading cannot grow the server's memory.
  public static final Setting OUTPUT_BUFFER_BYTES = add(Setting.integer("RELAY_OUTPUT_BUFFER_BYTES", 1 << 20, 64 * 1024, 1 << 30, "unsent output at which a connection is no longer read; over it for `RELAY_SLOW_CONSUMER_MS`: close 4008", GATEWAY));
  // Slowloris: a half-sent upgrade request holds a socket.
  public static final Setting UPGRADE_TIMEOUT_MS = add(Setting.integer("RELAY_UPGRADE_TIMEOUT_MS", 10_000, 100, 600_000, "an HTTP request must arrive complete within this, else the TCP connection is closed", GATEWAY));
  // Longer than HTTP clients keep an idle pooled connection (60 s in Vert.x and many others), so they close first.
  public static final Setting KEEPALIVE_TIMEOUT_MS = add(Setting.integer("RELAY_KEEPALIVE_TIMEOUT_MS", 75_000, 100, 3_600_000, "an idle keep-alive HTTP connection's next request must start within this, else it is closed", GATEWAY));
  // A person sends a message every few seconds: 10 a second per user is far above that.
  public static final Setting SEND_RATE_PER_S = add(Setting.integer("RELAY_SEND_RATE_PER_S", 10, 1, MILLION, "sends per second per user, shared by all of the user's sockets and the HTTP API (per gateway process)", GATEWAY));
  // An outbox flushed after a reconnect.
  public static final Setting SEND_BURST = add(Setting.integer("RELAY_SEND_BURST", 20, 1, MILLION, "send burst per user", GATEWAY));
  // Each queued reply may be a paid model call.
  public static final Setting MAX_QUEUED_REPLIES = add(Setting.integer("RELAY_MAX_QUEUED_REPLIES", 16, 1, MILLION, "reply jobs per thread, running or waiting; a `send` beyond answers `error rate_limited` and journals nothing", RELAY));
  // Must hold the largest frame (a 16 KiB text, escaped, with its envelope).
  public static final Setting HISTORY_PAGE_BYTES = add(Setting.integer("RELAY_HISTORY_PAGE_BYTES", 1 << 20, 128 * 1024, 1 << 30, "frames of one history page, in wire bytes (fewer frames than `limit` then)", RELAY));
  // 200 closes per 50 ms step: 4 000 sessions a second reconnect elsewhere without a stampede.
  public static final Setting DRAIN_BATCH = add(Setting.integer("RELAY_DRAIN_BATCH", 200, 1, MILLION, "SIGTERM drain: sessions closed with 1012 per step", GATEWAY));
  public static final Setting DRAIN_INTERVAL_MS = add(Setting.integer("RELAY_DRAIN_INTERVAL_MS", 50, 1, 60_000, "SIGTERM drain: pause between steps", GATEWAY));
  // Below Kubernetes' default 30 s termination grace, so a drain ends before SIGKILL.
  public static final Setting DRAIN_GRACE_MS = add(Setting.integer("RELAY_DRAIN_GRACE_MS", 20_000, 0, 3_600_000, "SIGTERM drain: longest drain", GATEWAY));
  public static final Setting DEV_TOKENS = add(Setting.flag("RELAY_DEV_TOKENS", false, "`POST /dev/token` for the demo page (needs an HS256 secret)", GATEWAY, LAUNCHER).shownAs("false (embedded run: true)"));
  public static final Setting DEV_TOKEN_TTL_S = add(Setting.integer("RELAY_DEV_TOKEN_TTL_S", 3_600, 1, 31_536_000, "lifetime of dev tokens", GATEWAY));

  // --- Between roles: requests over the event bus (gateway to relay, worker to relay) -----------
  // Well above the ~5 s a dead relay takes to leave the cluster and its shards to move, so a relay
  // crash or a short Redis outage costs a pause, not an error (docs/DECISIONS.md).
  public static final Setting BUS_TIMEOUT_MS = add(Setting.integer("RELAY_BUS_TIMEOUT_MS", 15_000, 1, 600_000, "total time of a request to a relay, retries included (a worker's append that times out or is answered 504, journal slow or away, is retried up to `RELAY_JOB_LEASE_MS`)", GATEWAY, WORKER));
  // A shard without owner is back within milliseconds to seconds; the gateway doubles it per retry.
  public static final Setting BUS_RETRY_MS = add(Setting.integer("RELAY_BUS_RETRY_MS", 50, 1, 60_000, "pause before retrying a request to a relay (the gateway doubles it, up to 16x)", GATEWAY, WORKER));
  // A request written to a relay that just died is never answered: cut short and sent again.
  public static final Setting BUS_ATTEMPT_TIMEOUT_MS = add(Setting.integer("RELAY_BUS_ATTEMPT_TIMEOUT_MS", 2_000, 1, 600_000, "one attempt of a request to a relay waits this long for the answer", GATEWAY, WORKER));
  // Cluster mode: one bus message per relay node and event-loop turn instead of one per ack (HISTORY.md).
  public static final Setting BUS_RECORD_BATCH = add(Setting.integer("RELAY_BUS_RECORD_BATCH", 256, 1, 65_536, "cluster mode: a gateway's acks, receipts and unsubscribes for one relay node in one event-loop turn go as one bus message of at most this many; 1 = each alone to its shard", GATEWAY));
  // Shorter gateway heartbeat/hello timeouts sweep faster; below 5 ms the sweep becomes the load.
  public static final Setting SWEEP_MS = add(Setting.integer("RELAY_SWEEP_MS", 1_000, 5, 60_000, "longest pause between timer sweeps (gateway sessions; relay leases, slow consumers, idle threads)", GATEWAY, RELAY));

  // --- Relay: sequence numbers, journal, cursors, reply jobs ------------------------------------
  public static final Setting ACK_WINDOW = add(Setting.integer("RELAY_ACK_WINDOW", 256, 1, 65_536, "unacked frames in flight per subscription", RELAY));
  public static final Setting SLOW_CONSUMER_MS = add(Setting.integer("RELAY_SLOW_CONSUMER_MS", 30_000, 1, DAY_MS, "a full ack window, or unsent output over `RELAY_OUTPUT_BUFFER_BYTES`, this long closes 4008 (also frames neither acked nor confirmed by the gateway this long, despite resends)", GATEWAY, RELAY));
  // Far above a client's ack delay (the SDK batches acks for 50 ms) plus a bus round trip, so a healthy subscription never resends.
  public static final Setting DELIVERY_RESEND_MS = add(Setting.integer("RELAY_DELIVERY_RESEND_MS", 1_000, 1, DAY_MS, "frames sent to a gateway and neither acked nor confirmed this long are sent again (also the repeat pause of gateway notices and job cancels)", RELAY));
  // Under the 10 s heal-to-complete goal of issue 8.
  public static final Setting DELIVERY_RESEND_MAX_MS = add(Setting.integer("RELAY_DELIVERY_RESEND_MAX_MS", 4_000, 1, DAY_MS, "resends without progress back off (doubling) up to this (at least `RELAY_DELIVERY_RESEND_MS`)", RELAY));
  public static final Setting RETENTION_FRAMES = add(Setting.integer("RELAY_RETENTION_FRAMES", 1_000, 1, 10 * MILLION, "newest frames kept per thread; compactable token frames of ended replies beyond it are dropped", RELAY));
  // Conversation frames are few per reply; token frames of ended replies are compacted first.
  public static final Setting RETENTION_MESSAGES = add(Setting.integer("RELAY_RETENTION_MESSAGES", 1_000, 1, 10 * MILLION, "conversation frames (`user_message`, `message`, `error`) kept per thread", RELAY));
  // One day.
  public static final Setting RETENTION_TTL_S = add(Setting.integer("RELAY_RETENTION_TTL_S", 86_400, 1, 10L * 365 * 86_400, "a thread not written for this long is forgotten (Redis key TTL; the in-memory journal too)", RELAY));
  // One hour: far beyond a reply's retries (6 attempts with 10 s leases), far below forever.
  public static final Setting PENDING_JOB_TTL_S = add(Setting.integer("RELAY_PENDING_JOB_TTL_S", 3_600, 1, 30L * 86_400, "an unfinished reply's failover record not saved again for this long is dropped", RELAY));
  // Per shard (64 by default): with at most 16 queued replies per thread, room for many users.
  public static final Setting PENDING_JOBS_MAX = add(Setting.integer("RELAY_PENDING_JOBS_MAX", 10_000, 1, MILLION, "failover records of unfinished replies kept per shard (the oldest go first)", RELAY));
  public static final Setting FRAME_CACHE = add(Setting.integer("RELAY_FRAME_CACHE", 64, 1, MILLION, "recent frames per thread served from memory", RELAY));
  // The journal still has them.
  public static final Setting THREAD_IDLE_MS = add(Setting.integer("RELAY_THREAD_IDLE_MS", 300_000, 1, DAY_MS, "an idle thread leaves relay memory after this", RELAY));
  // The worker reports "alive" every third of it, so it must be at least 3.
  public static final Setting JOB_LEASE_MS = add(Setting.integer("RELAY_JOB_LEASE_MS", 10_000, 3, DAY_MS, "a running reply with no progress this long is re-dispatched (sooner when its worker's process leaves the cluster); workers say alive every third of it", RELAY, WORKER));
  // Workers answer before their engine starts, so this only has to cover the bus.
  public static final Setting JOB_DISPATCH_TIMEOUT_MS = add(Setting.integer("RELAY_JOB_DISPATCH_TIMEOUT_MS", 2_000, 1, DAY_MS, "time a worker has to take a job", RELAY));
  public static final Setting JOB_RETRY_BACKOFF_MS = add(Setting.integer("RELAY_JOB_RETRY_BACKOFF_MS", 500, 1, DAY_MS, "first pause after a failed dispatch (doubles, up to the lease)", RELAY));
  public static final Setting JOB_MAX_ATTEMPTS = add(Setting.integer("RELAY_JOB_MAX_ATTEMPTS", 6, 1, 1_000, "dispatch attempts, then the relay writes an `error` frame `worker_unavailable`", RELAY));
  // Work started beyond what the box can deliver at once only waits after its frames are stamped.
  public static final Setting DISPATCH_WINDOW = add(Setting.integer("RELAY_DISPATCH_WINDOW", 32, 1, MILLION, "replies a relay starts at once (dispatched, nothing appended yet); the rest wait in send order, across threads", RELAY));
  // Long enough for membership views to agree, so two relays do not fence each other in turn.
  public static final Setting SHARD_REACQUIRE_MS = add(Setting.integer("RELAY_SHARD_REACQUIRE_MS", 1_000, 1, DAY_MS, "pause before acquiring again a shard let go after a fenced write or a failed acquire", RELAY));
  // Senders learn of an unregistered consumer late; "not owner" makes them retry at once.
  public static final Setting SHARD_RELEASE_GRACE_MS = add(Setting.integer("RELAY_SHARD_RELEASE_GRACE_MS", 500, 0, DAY_MS, "a released shard's consumer answers \"not owner\" this long before it unregisters", RELAY));
  // Redis arbitrates a split: a relay alive there keeps its shards even where the cluster lost sight of it.
  public static final Setting LIVENESS_INTERVAL_MS = add(Setting.integer("RELAY_LIVENESS_INTERVAL_MS", 1_000, 10, 60_000, "a clustered relay that sees another member writes that it is alive into Redis this often; no relay claims a shard from a live relay outside its cluster view", RELAY));
  // Below the cluster's 4 s failure detection: a dead relay's shards move as soon as the cluster drops it.
  public static final Setting LIVENESS_TTL_MS = add(Setting.integer("RELAY_LIVENESS_TTL_MS", 3_000, 20, 600_000, "a relay that has not written it is alive for this long is dead for shard claims (more than `RELAY_LIVENESS_INTERVAL_MS`, less than `RELAY_CLUSTER_MAX_NO_HEARTBEAT_SECONDS`)", RELAY));
  // A merge's passing views drop and re-add nodes within a moment; a dropped subscription would leave its session silent.
  public static final Setting NODE_LEFT_GRACE_MS = add(Setting.integer("RELAY_NODE_LEFT_GRACE_MS", 2_000, 0, 60_000, "a clustered relay drops the subscriptions of a gateway node that left its view this long after, if it is still gone (its workers' jobs move at once)", RELAY));

  // --- Relay's Redis journal (unset URL = in-memory journal) ------------------------------------
  public static final Setting REDIS_URL = add(Setting.text("RELAY_REDIS_URL", null, "e.g. `redis://127.0.0.1:6379/0`; a password as `redis://:PASS@host` or `redis://USER:PASS@host` (ACL), percent-encoded (`/` as `%2F`, `@` as `%40`); `rediss://` for TLS; logged redacted", RELAY, LAUNCHER).shownAs("none = in-memory journal"));
  public static final Setting REDIS_TLS_CA = add(Setting.text("RELAY_REDIS_TLS_CA", null, "PEM CA file a `rediss://` server's certificate must chain to", RELAY).shownAs("none = the JVM's trust store"));
  public static final Setting REDIS_TLS_VERIFY_HOST = add(Setting.flag("RELAY_REDIS_TLS_VERIFY_HOST", true, "a `rediss://` server's certificate must name the URL's host", RELAY));
  public static final Setting REDIS_KEY_PREFIX = add(Setting.text("RELAY_REDIS_KEY_PREFIX", "cr:", "prefix of every Redis key (no `{` or `}`)", RELAY));
  // The measured sweet spot of one pipelined connection.
  public static final Setting REDIS_MAX_IN_FLIGHT = add(Setting.integer("RELAY_REDIS_MAX_IN_FLIGHT", 256, 1, 65_536, "pipelined commands in flight on the one connection", RELAY));
  // More fail fast instead of growing the heap.
  public static final Setting REDIS_MAX_QUEUED = add(Setting.integer("RELAY_REDIS_MAX_QUEUED", 65_536, 0, 10 * MILLION, "commands queued behind the in-flight ones", RELAY));
  // A restarted Redis is usually back within a second.
  public static final Setting REDIS_RECONNECT_MS = add(Setting.integer("RELAY_REDIS_RECONNECT_MS", 100, 1, DAY_MS, "first pause before reconnecting (doubles)", RELAY));
  public static final Setting REDIS_RECONNECT_MAX_MS = add(Setting.integer("RELAY_REDIS_RECONNECT_MAX_MS", 5_000, 1, DAY_MS, "longest reconnect pause (at least `RELAY_REDIS_RECONNECT_MS`)", RELAY));
  // Thousands of times a healthy command; only a Redis that stopped answering or a silent link (TCP would wait minutes) reaches it.
  public static final Setting REDIS_COMMAND_TIMEOUT_MS = add(Setting.integer("RELAY_REDIS_COMMAND_TIMEOUT_MS", 5_000, 1, DAY_MS, "a Redis command unanswered this long fails as an outage (bus 504) and its connection is replaced; a connect attempt gives up after as long", RELAY));

  // --- Worker: the assistant engine -------------------------------------------------------------
  public static final Setting ENGINE = add(Setting.text("RELAY_ENGINE", "scripted", "`scripted` (deterministic echo) or `openai`", WORKER));
  // Jobs are cheap (a timer or one HTTP stream each), so one worker can hold many.
  public static final Setting WORKER_CONCURRENCY = add(Setting.integer("RELAY_WORKER_CONCURRENCY", 1_000, 1, MILLION, "replies one worker runs at once; more are refused (503) and go elsewhere", WORKER));
  public static final Setting SCRIPTED_CHUNKS = add(Setting.integer("RELAY_SCRIPTED_CHUNKS", 8, 1, 100_000, "chunks per scripted reply (at most one per character)", WORKER));
  // Slow enough for a person to watch the stream.
  public static final Setting SCRIPTED_DELAY_MS = add(Setting.integer("RELAY_SCRIPTED_DELAY_MS", 50, 0, DAY_MS, "pause before each scripted chunk; 0 = the whole reply at once", WORKER));
  public static final Setting OPENAI_BASE_URL = add(Setting.text("RELAY_OPENAI_BASE_URL", null, "base URL of the OpenAI-compatible server including the version path, e.g. `http://127.0.0.1:11434/v1` (required for `openai`; requests go to `<base>/chat/completions`)", WORKER));
  public static final Setting OPENAI_MODEL = add(Setting.text("RELAY_OPENAI_MODEL", null, "model name sent in each request (required for `openai`)", WORKER));
  public static final Setting OPENAI_API_KEY = add(Setting.secret("RELAY_OPENAI_API_KEY", "bearer key; none = no Authorization header", WORKER));
  public static final Setting OPENAI_TIMEOUT_MS = add(Setting.integer("RELAY_OPENAI_TIMEOUT_MS", 60_000, 1, DAY_MS, "connect timeout and longest silence in a stream", WORKER));
  public static final Setting OPENAI_SYSTEM_PROMPT = add(Setting.text("RELAY_OPENAI_SYSTEM_PROMPT", null, "optional system message before the user's text", WORKER));
  // Turns of conversation: enough for a chat's recent context, small for a request body.
  public static final Setting OPENAI_CONTEXT_MESSAGES = add(Setting.integer("RELAY_OPENAI_CONTEXT_MESSAGES", 40, 1, 10_000, "most conversation turns sent to the model, the text being answered included", WORKER));
  // About 8k tokens of history, inside every current model's context window.
  public static final Setting OPENAI_CONTEXT_CHARS = add(Setting.integer("RELAY_OPENAI_CONTEXT_CHARS", 32_000, 1, 100 * MILLION, "most characters of conversation sent (the text being answered always goes)", WORKER));
  // A hosted model's rate limit is reached long before a worker's.
  public static final Setting OPENAI_CONCURRENCY = add(Setting.integer("RELAY_OPENAI_CONCURRENCY", 16, 1, 100_000, "upstream requests streaming at once per worker; more replies wait their turn", WORKER));
  // A reply taking longer than five minutes is not coming.
  public static final Setting OPENAI_DEADLINE_MS = add(Setting.integer("RELAY_OPENAI_DEADLINE_MS", 300_000, 1, DAY_MS, "a reply not complete this long after it started ends with `engine_timeout`", WORKER));
  // Covers a provider's typical Retry-After of a few seconds several times over.
  public static final Setting OPENAI_RETRY_BUDGET_MS = add(Setting.integer("RELAY_OPENAI_RETRY_BUDGET_MS", 60_000, 0, DAY_MS, "no retry of a 429/5xx/broken stream starts later than this after the reply started", WORKER));
  // The OpenAI SDKs start their backoff around half a second.
  public static final Setting OPENAI_RETRY_BASE_MS = add(Setting.integer("RELAY_OPENAI_RETRY_BASE_MS", 500, 1, DAY_MS, "first upstream backoff pause; doubles per retry (full jitter) unless `Retry-After` says more", WORKER));
  // The OpenAI SDKs cap their own backoff at about 8 s.
  public static final Setting OPENAI_RETRY_MAX_MS = add(Setting.integer("RELAY_OPENAI_RETRY_MAX_MS", 8_000, 1, DAY_MS, "longest backoff pause of its own (a longer `Retry-After` is honoured within the budget; at least the base)", WORKER));
  // A provider that failed six times in a row is down.
  public static final Setting OPENAI_MAX_RETRIES = add(Setting.integer("RELAY_OPENAI_MAX_RETRIES", 5, 0, 1_000, "upstream retries per reply at most", WORKER));
  public static final Setting OPENAI_INCLUDE_USAGE = add(Setting.flag("RELAY_OPENAI_INCLUDE_USAGE", true, "ask for token usage (`stream_options.include_usage`); off for servers that reject it", WORKER));

  private Settings() {}

  /** Every setting, in declaration order. */
  public static List<Setting> all() {
    return Collections.unmodifiableList(ALL);
  }

  public static Optional<Setting> byName(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The {@code RELAY_*} names among {@code names} that no setting declares (typos, old names). */
  public static List<String> unknown(Iterable<String> names) {
    List<String> unknown = new ArrayList<>();
    for (String name : names) {
      if (name.startsWith("RELAY_") && byName(name).isEmpty()) {
        unknown.add(name);
      }
    }
    Collections.sort(unknown);
    return unknown;
  }

  /** Name to fixed default of every setting {@code reader} reads that has one. */
  public static Map<String, String> defaultsFor(Setting.Reader reader) {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (Setting s : ALL) {
      if (s.readBy(reader) && s.fallback() != null) {
        defaults.put(s.name(), s.fallback());
      }
    }
    return defaults;
  }

  private static Setting add(Setting setting) {
    if (byName(setting.name()).isPresent()) {
      throw new IllegalStateException("declared twice: " + setting.name());
    }
    ALL.add(setting);
    return setting;
  }
}
