package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.OpenApi;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The route table")
class RouteTableTest {

  @Test
  @DisplayName("has exactly the paths and methods docs/openapi.yaml describes, both ways")
  void routesEqualTheDocument() {
    // every route mounted, the admin ones included; nothing is connected to
    Set<String> served = MountedRoutes.of(Map.of(
        "DATABASE_URL", "postgresql://postgres@127.0.0.1:1/none",
        "REDIS_URL", "redis://127.0.0.1:1",
        "SEXTANT_ADMIN_TOKEN", "an-admin-token"));
    Set<String> documented = new TreeSet<>();
    OpenApi.document().operations().forEach(op ->
        documented.add(op.method() + " " + op.template().replaceAll("\\{([^}]+)}", ":$1")));

    assertThat(served).as("routes the server mounts").isEqualTo(documented);
  }
}
