package dev.sextant.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.config.SextantConfig.DatabaseConfig;
import dev.sextant.support.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The PostgreSQL pool")
class DatabaseTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    String url = TestInfra.newMigratedDatabase();
    pool = Database.createPool(vertx, new DatabaseConfig(url, 2, 16, 64, 5_000, 30_000, 0));
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String setting(String name) throws Exception {
    Row row = pool.query("SELECT current_setting('" + name + "')").execute()
        .await(10, TimeUnit.SECONDS).iterator().next();
    return row.getString(0);
  }

  @Test
  @DisplayName("plans every statement once for any project: not anew with values that may be misjudged")
  void genericPlans() throws Exception {
    assertThat(setting("plan_cache_mode")).isEqualTo("force_generic_plan");
  }

  @Test
  @DisplayName("does not compile queries: it cost the stats more than it saved")
  void noJit() throws Exception {
    assertThat(setting("jit")).isEqualTo("off");
  }

  @Test
  @DisplayName("has traces and spans vacuumed and analyzed after 2 % new rows, not autovacuum's 20 % and 10 %")
  void vacuumSooner() throws Exception {
    for (String table : new String[] {"traces", "spans"}) {
      Row row = pool.query("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = '" + table + "'")
          .execute().await(10, TimeUnit.SECONDS).iterator().next();
      assertThat(row.getString(0)).as(table)
          .contains("autovacuum_vacuum_insert_scale_factor=0.02", "autovacuum_analyze_scale_factor=0.02");
    }
  }

  @Test
  @DisplayName("bounds every statement's time")
  void statementTimeout() throws Exception {
    assertThat(setting("statement_timeout")).isEqualTo("30s");
  }
}
