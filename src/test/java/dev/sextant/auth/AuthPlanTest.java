package dev.sextant.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.PlanFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("On 50 000 keys and sessions, authenticating a request")
class AuthPlanTest {

  @Test
  @DisplayName("finds an API key and a session by their hash through an index")
  void lookupsUseIndexes() throws Exception {
    for (String sql : new String[] {AuthSql.PROJECT_BY_API_KEY, AuthSql.USER_BY_SESSION}) {
      JsonObject plan = PlanFixture.plan(sql.replace("$1", "decode($1, 'hex')"), "00ff");
      assertThat(PlanFixture.sequentialScans(plan)).as(plan.encodePrettily()).isEmpty();
    }
    JsonObject login = PlanFixture.plan(AuthSql.USER_BY_EMAIL, "user42@example.com");
    assertThat(PlanFixture.sequentialScans(login)).as(login.encodePrettily()).isEmpty();
  }
}
