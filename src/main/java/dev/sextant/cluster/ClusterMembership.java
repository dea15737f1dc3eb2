package dev.sextant.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import dev.sextant.config.SextantConfig.ClusterConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance runs alone or as a member of a cluster, and how that membership stands,
 * for the readiness body. Losing the cluster never makes an instance unready: PostgreSQL is the
 * source of truth, and near-caches fall back to their TTLs.
 */
public final class ClusterMembership {

  private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

  private final HazelcastClusterManager manager;
  private final String host;

  private ClusterMembership(HazelcastClusterManager manager, String host) {
    this.manager = manager;
    this.host = host;
  }

  /** A single instance: the event bus stays in the process. */
  public static ClusterMembership standalone() {
    return new ClusterMembership(null, null);
  }

  /** {@code cluster.enabled} decides: a member of the cluster {@code cluster.*} describes, or alone. */
  public static ClusterMembership of(ClusterConfig cluster) {
    return cluster.enabled() ? new ClusterMembership(
        new HazelcastClusterManager(HazelcastSettings.of(cluster, new Logging())), cluster.host())
        : standalone();
  }

  /** The address the event bus binds and advertises to the other members (clustered only). */
  public String host() {
    return host;
  }

  /** The cluster manager Vert.x is to be built with, when clustered. */
  public Optional<ClusterManager> manager() {
    return Optional.ofNullable(manager);
  }

  /** Up while standalone, or while this member is in its cluster. */
  public boolean isUp() {
    return manager == null || member();
  }

  /**
   * The members this instance sees, itself included: 1 when standalone, 0 while it is out of its
   * cluster (the {@code sextant_cluster_members} gauge).
   */
  public int members() {
    if (manager == null) {
      return 1;
    }
    try {
      return member() ? manager.getHazelcastInstance().getCluster().getMembers().size() : 0;
    } catch (RuntimeException e) {
      return 0; // the member shut down between the two calls
    }
  }

  /** Whether the Hazelcast member runs (it stops when Vert.x leaves, or on a fatal split). */
  private boolean member() {
    try {
      return manager.isActive() && manager.getHazelcastInstance().getLifecycleService().isRunning();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** What the readiness body shows under the {@code cluster} check. */
  public JsonObject describe() {
    if (manager == null) {
      return new JsonObject().put("mode", "standalone");
    }
    JsonObject status = new JsonObject().put("mode", "clustered");
    if (member()) {
      try {
        status.put("node", manager.getNodeId())
            .put("members", manager.getHazelcastInstance().getCluster().getMembers().size());
      } catch (RuntimeException e) {
        // the member shut down between the two calls: report it as not in the cluster
        status.put("error", "not a member");
      }
    } else {
      status.put("error", "not a member");
    }
    return status;
  }

  /** A log line for every member that joins or leaves, and for this member's own state changes. */
  private static final class Logging implements MembershipListener, LifecycleListener {

    @Override
    public void memberAdded(MembershipEvent event) {
      log.info("cluster: {} joined ({} members)", event.getMember().getAddress(), event.getMembers().size());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      log.warn("cluster: {} left ({} members)", event.getMember().getAddress(), event.getMembers().size());
    }

    @Override
    public void stateChanged(LifecycleEvent event) {
      log.info("cluster: this member is {}", event.getState());
    }
  }
}
