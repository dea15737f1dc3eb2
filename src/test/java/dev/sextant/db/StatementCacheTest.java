package dev.sextant.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The prepared-statement cache")
class StatementCacheTest {

  private static final List<String> STATEMENT_CLASSES = List.of("dev.sextant.auth.AuthSql",
      "dev.sextant.projects.ProjectSql", "dev.sextant.ingest.IngestSql", "dev.sextant.traces.TraceSql");

  @Test
  @DisplayName("takes every statement we send: a longer one would be parsed and planned on every call")
  void everyStatementFits() throws Exception {
    int statements = 0;
    for (String name : STATEMENT_CLASSES) {
      for (Field field : Class.forName(name).getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
          field.setAccessible(true);
          String sql = (String) field.get(null);
          assertThat(sql.length()).as(name + "." + field.getName())
              .isLessThan(Database.STATEMENT_CACHE_SQL_LIMIT / 2); // room for the parts added at run time
          statements++;
        }
      }
    }
    assertThat(statements).isGreaterThan(20);
  }
}
