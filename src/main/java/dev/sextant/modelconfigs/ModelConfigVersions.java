package dev.sextant.modelconfigs;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.UUID;

/** What other resources may ask of model configs: whether a project has a given version. */
public final class ModelConfigVersions {

  private final ModelConfigRepository configs;

  public ModelConfigVersions(Pool pool) {
    this.configs = new ModelConfigRepository(pool);
  }

  public Future<Boolean> exists(UUID projectId, String name, int version) {
    return configs.version(projectId, name, version).map(config -> config != null);
  }
}
