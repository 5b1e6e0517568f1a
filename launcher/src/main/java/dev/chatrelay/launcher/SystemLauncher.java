package dev.chatrelay.launcher;

import dev.chatrelay.gateway.GatewayRuntime;
import dev.chatrelay.protocol.config.Settings;
import dev.chatrelay.gateway.GatewayVerticle;
import dev.chatrelay.gateway.http.AdminApi;
import dev.chatrelay.relay.RelayConfig;
import dev.chatrelay.relay.RelayVerticle;
import dev.chatrelay.relay.journal.RedisJournal;
import dev.chatrelay.relay.shard.FixedShards;
import dev.chatrelay.relay.journal.Journal;
import dev.chatrelay.relay.shard.LivenessConfig;
import dev.chatrelay.relay.shard.MembershipShards;
import dev.chatrelay.relay.shard.RelayLiveness;
import dev.chatrelay.relay.shard.ShardOwnership;
import dev.chatrelay.worker.WorkerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the roles of a {@link LaunchPlan}: relay first (its shard consumers must exist before
 * anything sends), then worker, then the gateway instances, then readiness and {@code READY}.
 * Main and the integration tests both start the system through here.
 */
public final class SystemLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(SystemLauncher.class);

  private SystemLauncher() {}

  public static Future<RunningSystem> start(LaunchPlan plan) {
    LOG.info("event=system.starting role={} embedded={} clustered={}", plan.launcher().role().wire(),
        plan.launcher().embedded(), plan.launcher().cluster().enabled());
    return VertxFactory.create(plan.launcher().cluster(), plan.launcher().role(),
        plan.launcher().eventLoops())
        .compose(created -> deploy(created, plan)
            .recover(err -> created.close().transform(closed -> Future.failedFuture(err))));
  }

  private static Future<RunningSystem> deploy(VertxFactory.Created created, LaunchPlan plan) {
    Vertx vertx = created.vertx();
    Readiness readiness = new Readiness(created::clusterActive);
    RunningSystem.Builder system = new RunningSystem.Builder(vertx, plan, readiness);
    system.membership = created.membershipImpl();
    system.closer = created::close;
    if (created.clusterManager() instanceof HazelcastClusterManager hazelcast) {
      new OwnRegistrations(vertx, hazelcast); // a thawed member may have deleted them
    }
    Future<Void> chain = Future.succeededFuture();
    if (plan.relay() != null) {
      chain = chain
          .compose(v -> plan.journals().create(vertx, plan.relay()))
          .compose(journal -> {
            system.journal = journal;
            if (journal instanceof RedisJournal redis) {
              readiness.addCondition(redis::connected);
            }
            return vertx.deployVerticle(new RelayVerticle(plan.relay(), journal,
                ownership(created, plan, journal), null));
          })
          .map(id -> {
            LOG.info("event=role.started role=relay deployment={}", id);
            system.relayDeployment = id;
            return null;
          });
    }
    if (plan.worker() != null) {
      chain = chain
          .compose(v -> vertx.deployVerticle(new WorkerVerticle(plan.worker(), created.nodeId())))
          .map(id -> {
            LOG.info("event=role.started role=worker deployment={}", id);
            system.workerDeployment = id;
            return null;
          });
    }
    if (plan.gateway() != null) {
      GatewayRuntime runtime = created.clustered()
          ? new GatewayRuntime(created.nodeId(), created.membership())
          : new GatewayRuntime();
      runtime.addReadinessCondition(created::clusterActive);
      if (created.clustered()) {
        // Ready only when a relay answers for every shard (readyz of PROTOCOL.md: "can serve").
        UnreachableShards unreachable = new UnreachableShards(
            plan.launcher().shardUnreachableCloseMs(),
            plan.launcher().shardUnreachableUnhealthyMs(), System::currentTimeMillis,
            runtime::closeUnreachable);
        runtime.addLivenessCondition(unreachable::healthy);
        ShardCoverage coverage = new ShardCoverage(vertx, created.clusterManager(),
            plan.gateway().shards(), plan.launcher().readyShardGraceMs(), unreachable::observe);
        coverage.start(plan.launcher().readyCheckMs());
        system.coverage = coverage;
        runtime.addReadinessCondition(() -> created.membership().view().hasRelay());
        runtime.addReadinessCondition(coverage::covered);
      }
      if (plan.launcher().adminPort() > 0) {
        runtime.serveInternalRoutesElsewhere();
      }
      system.gatewayRuntime = runtime;
      int instances = plan.launcher().gatewayInstances();
      chain = chain
          .compose(v -> vertx.deployVerticle(() -> new GatewayVerticle(plan.gateway(), runtime),
              new DeploymentOptions().setInstances(instances)))
          .map(id -> {
            LOG.info("event=role.started role=gateway instances={} port={} deployment={}",
                instances, plan.gateway().httpPort(), id);
            system.gatewayDeployment = id;
            return null;
          });
    }
    int healthPort = plan.launcher().healthPort();
    if (healthPort > 0) {
      chain = chain
          .compose(v -> HealthServer.start(vertx, healthPort, readiness::ready, null))
          .map(server -> {
            LOG.info("event=health.started port={}", server.port());
            system.healthServer = server;
            return null;
          });
    }
    int adminPort = plan.launcher().adminPort();
    if (adminPort > 0) {
      GatewayRuntime gateway = system.gatewayRuntime;
      BooleanSupplier ready = gateway == null ? readiness::ready
          : () -> readiness.ready() && gateway.isReady();
      AdminApi admin = plan.gateway() == null ? null
          : new AdminApi(plan.gateway().adminToken(), vertx.eventBus());
      chain = chain
          .compose(v -> HealthServer.start(vertx, adminPort, ready, admin))
          .map(server -> {
            LOG.info("event=admin.started port={}", server.port());
            system.adminServer = server;
            return null;
          });
    }
    return chain.map(v -> {
      RunningSystem running = system.build();
      if (plan.generatedSecret() != null) {
        printDemoBanner(vertx, plan);
      }
      running.markReady();
      LOG.info(readyLine(plan, running));
      return running;
    });
  }

  /**
   * Cluster mode follows relay membership, with the journal's liveness record as the arbiter of
   * a split; a single relay owns every shard.
   */
  private static ShardOwnership ownership(VertxFactory.Created created, LaunchPlan plan,
      Journal journal) {
    RelayConfig relay = plan.relay();
    return created.clustered()
        ? new MembershipShards(created.membership(), relay.shards(),
            new RelayLiveness(journal, LivenessConfig.from(plan.source())))
        : FixedShards.all(relay.shards());
  }

  /**
   * The one line containing READY that operators and tests wait for: the URL first for people,
   * then the usual {@code event=} keys for log shippers.
   */
  private static String readyLine(LaunchPlan plan, RunningSystem running) {
    StringBuilder line = new StringBuilder("READY");
    if (plan.gateway() != null) {
      line.append(" http://localhost:").append(plan.gateway().httpPort()).append('/');
    }
    line.append(" event=system.ready role=").append(plan.launcher().role().wire());
    if (running.adminPort() > 0) {
      line.append(" admin=http://localhost:").append(running.adminPort()).append("/metrics");
    }
    if (running.healthPort() > 0) {
      line.append(" health=http://localhost:").append(running.healthPort()).append("/readyz");
    }
    return line.toString();
  }

  private static void printDemoBanner(Vertx vertx, LaunchPlan plan) {
    var source = plan.source();
    String token = DemoBanner.demoToken(vertx, plan.generatedSecret(),
        source.raw(Settings.JWT_ISSUER), source.raw(Settings.JWT_AUDIENCE));
    DemoBanner.print(System.out, plan.gateway().httpPort(), plan.generatedSecret(), token);
  }
}
