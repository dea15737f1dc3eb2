package dev.sextant.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import dev.sextant.config.SextantConfig.ClusterConfig;

/**
 * The Hazelcast configuration of a member, built in code from {@code cluster.*} alone: no
 * {@code hazelcast.xml} or {@code cluster.xml} is looked for, and multicast and auto-detection are
 * off, so an instance joins exactly the members it is given and nothing it finds on the network.
 */
final class HazelcastSettings {

  /** Every Sextant cluster has this name: members of other Hazelcast clusters are refused. */
  static final String CLUSTER_NAME = "sextant";

  private HazelcastSettings() {}

  static Config of(ClusterConfig cluster, java.util.EventListener listener) {
    Config config = new Config().setClusterName(CLUSTER_NAME);
    // the maps Vert.x keeps its event-bus subscriptions and nodes in, as in its own default file
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));

    NetworkConfig network = config.getNetworkConfig()
        .setPort(cluster.port())
        .setPortAutoIncrement(false)
        .setPublicAddress(cluster.host() + ":" + cluster.port());
    if (cluster.port() == 0) {
      network.setPublicAddress(null);
    }
    if (cluster.host().matches("[0-9.]+")) {
      network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members().isEmpty()
        ? java.util.List.of(cluster.host()) : cluster.members());

    config.addListenerConfig(new ListenerConfig(listener));
    config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
    config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
    // Vert.x leaves the cluster itself when it closes, after the HTTP servers have drained
    config.setProperty(ClusterProperty.SHUTDOWNHOOK_ENABLED.getName(), "false");
    config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "slf4j");
    // join at once (the default waits 5 s for others to appear), and notice a killed member in
    // seconds rather than the default minute: until then the bus keeps trying to reach it
    config.setProperty(ClusterProperty.WAIT_SECONDS_BEFORE_JOIN.getName(), "1");
    config.setProperty(ClusterProperty.MAX_WAIT_SECONDS_BEFORE_JOIN.getName(), "2");
    config.setProperty(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS.getName(), "1");
    config.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(), "6");
    // a member cut off and back (network split) merges into the larger side again soon
    config.setProperty(ClusterProperty.MERGE_FIRST_RUN_DELAY_SECONDS.getName(), "10");
    config.setProperty(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS.getName(), "10");
    return config;
  }
}
