package dev.sextant.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Configuration")
class ConfigLoaderTest {

  @Test
  @DisplayName("comes from conf/sextant.yaml when the environment says nothing")
  void defaults(Vertx vertx) {
    SextantConfig config = ConfigLoader.load(vertx, Map.of()).await();
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo("./data");
    assertThat(config.database().url()).isNull();
    assertThat(config.adminToken()).isNull();
    assertThat(config.http().effectiveInstances())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  @DisplayName("takes SEXTANT_ + the key path in upper snake case, plus DATABASE_URL and REDIS_URL")
  void environmentOverrides(Vertx vertx) {
    SextantConfig config = ConfigLoader.load(vertx, Map.of(
        "SEXTANT_HTTP_PORT", "9999",
        "SEXTANT_HTTP_INSTANCES", "3",
        "SEXTANT_HTTP_ACCESS_LOG", "false",
        "SEXTANT_DATA_DIR", "/tmp/elsewhere",
        "SEXTANT_ADMIN_TOKEN", "s3cret-admin",
        "DATABASE_URL", "postgresql://u:p@db:5432/sextant",
        "REDIS_URL", "redis://cache:6379")).await();
    assertThat(config.http().port()).isEqualTo(9999);
    assertThat(config.http().effectiveInstances()).isEqualTo(3);
    assertThat(config.http().accessLog()).isFalse();
    assertThat(config.dataDir()).isEqualTo("/tmp/elsewhere");
    assertThat(config.adminToken()).isEqualTo("s3cret-admin");
    assertThat(config.database().url()).isEqualTo("postgresql://u:p@db:5432/sextant");
    assertThat(config.redis().url()).isEqualTo("redis://cache:6379");
  }

  @Test
  @DisplayName("refuses an override of the wrong type, naming the variable")
  void wrongType(Vertx vertx) {
    assertThatThrownBy(() -> ConfigLoader.load(vertx, Map.of("SEXTANT_HTTP_PORT", "eighty")).await())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SEXTANT_HTTP_PORT");
    assertThatThrownBy(() -> ConfigLoader.load(vertx, Map.of("SEXTANT_HTTP_ACCESS_LOG", "yes")).await())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SEXTANT_HTTP_ACCESS_LOG");
  }
}
