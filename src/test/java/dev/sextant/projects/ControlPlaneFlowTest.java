package dev.sextant.projects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.ServerExtension;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("The control plane")
@ExtendWith(ServerExtension.class)
class ControlPlaneFlowTest {

  @Injected private static TestServer server;
  @Injected private static ApiClient api;

  @Test
  @DisplayName("takes a person from signup through login, a project and an API key to an authenticated request")
  void fullFlow() {
    String email = "Ada-" + UUID.randomUUID() + "@Example.com";
    Response signup = api.post("/api/v1/auth/signup", null, new JsonObject()
        .put("email", email).put("password", "analytical engine").put("name", "Ada"));
    assertThat(signup.status()).isEqualTo(201);
    JsonObject user = signup.json();
    assertThat(user.getString("email")).isEqualTo(email);
    assertThat(user.getString("name")).isEqualTo("Ada");
    assertThat(user.getString("id")).matches("[0-9a-f-]{36}");
    assertThat(user.getString("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(user.containsKey("password_hash")).isFalse();

    // emails compare case-insensitively
    Response login = api.post("/api/v1/auth/login", null, new JsonObject()
        .put("email", email.toLowerCase()).put("password", "analytical engine"));
    assertThat(login.status()).isEqualTo(200);
    String session = login.json().getString("token");
    assertThat(session).startsWith("sxs_");
    assertThat(login.json().getString("expires_at")).endsWith("Z");

    Response created = api.post("/api/v1/projects", session,
        new JsonObject().put("name", "chatbot").put("retention_days", 90));
    assertThat(created.status()).isEqualTo(201);
    String projectId = created.json().getString("id");
    assertThat(created.json().getInteger("retention_days")).isEqualTo(90);

    Response defaults = api.post("/api/v1/projects", session, new JsonObject().put("name", "second"));
    assertThat(defaults.json().getInteger("retention_days")).isEqualTo(30);

    Response me = api.get("/api/v1/me", session);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("email")).isEqualTo(email);
    assertThat(me.json().getJsonArray("projects")).hasSize(2);
    assertThat(me.json().getJsonArray("projects").getJsonObject(0).getMap())
        .containsEntry("id", projectId).containsEntry("name", "chatbot").containsEntry("role", "owner");

    Response projects = api.get("/api/v1/projects", session);
    assertThat(projects.status()).isEqualTo(200);
    assertThat(projects.data()).hasSize(2);
    assertThat(projects.json().getValue("next_cursor")).isNull();

    Response key = api.post("/api/v1/projects/" + projectId + "/api-keys", session,
        new JsonObject().put("name", "prod exporter"));
    assertThat(key.status()).isEqualTo(201);
    String apiKey = key.json().getString("key");
    assertThat(apiKey).startsWith("sxk_");
    String keyId = key.json().getString("id");

    Response keyProject = api.get("/api/v1/project", apiKey);
    assertThat(keyProject.status()).isEqualTo(200);
    assertThat(keyProject.json().getString("id")).isEqualTo(projectId);
    assertThat(keyProject.json().getString("name")).isEqualTo("chatbot");
    assertThat(keyProject.json().getInteger("retention_days")).isEqualTo(90);

    Response keys = api.get("/api/v1/projects/" + projectId + "/api-keys", session);
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.data()).hasSize(1);
    JsonObject listed = keys.data().getJsonObject(0);
    assertThat(listed.getString("id")).isEqualTo(keyId);
    assertThat(listed.containsKey("key")).isFalse();
    assertThat(keys.body()).doesNotContain(apiKey);

    Response revoke = api.delete("/api/v1/projects/" + projectId + "/api-keys/" + keyId, session);
    assertThat(revoke.status()).isEqualTo(204);
    Response revoked = api.get("/api/v1/project", apiKey);
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(api.get("/api/v1/projects/" + projectId + "/api-keys", session).data()).isEmpty();

    Response logout = api.post("/api/v1/auth/logout", session, null);
    assertThat(logout.status()).isEqualTo(204);
    assertThat(api.get("/api/v1/me", session).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("stores API keys and session tokens only as hashes")
  void secretsAreStoredHashed() throws Exception {
    String session = api.newSession();
    String projectId = api.newProject(session, "hashed");
    String key = api.newApiKey(session, projectId);
    try (var conn = dev.sextant.support.TestInfra.jdbc(server.databaseUrl());
        var st = conn.createStatement();
        var rs = st.executeQuery("SELECT encode(key_hash, 'hex') || key_prefix AS k FROM api_keys"
            + " UNION ALL SELECT encode(token_hash, 'hex') FROM sessions")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertThat(rs.getString(1)).doesNotContain(key).doesNotContain(session);
      }
      assertThat(rows).isGreaterThanOrEqualTo(2);
    }
  }
}
