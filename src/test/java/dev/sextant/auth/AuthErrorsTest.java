package dev.sextant.auth;

import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Injected;
import dev.sextant.support.OpenApi;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Authentication and the control plane refuse")
@ExtendWith(ServerExtension.class)
class AuthErrorsTest {

  @Injected private static ApiClient api;

  private static List<String> fields(Response r) {
    JsonArray errors = r.json().getJsonArray("errors");
    return errors.stream().map(e -> ((JsonObject) e).getString("field")).toList();
  }

  private static String uniqueEmail() {
    return "u-" + UUID.randomUUID() + "@example.com";
  }

  @Test
  @DisplayName("a signup without fields, naming each missing one")
  void missingFields() {
    Response r = api.post("/api/v1/auth/signup", null, new JsonObject());
    assertProblem(r, 400);
    assertThat(fields(r)).containsExactlyInAnyOrder("email", "password", "name");
  }

  @Test
  @DisplayName("a password shorter than 10 characters, a malformed email and wrongly typed fields")
  void invalidFields() {
    Response r = api.post("/api/v1/auth/signup", null, new JsonObject()
        .put("email", "not-an-email").put("password", "short").put("name", 42));
    assertProblem(r, 400);
    assertThat(fields(r)).containsExactlyInAnyOrder("email", "password", "name");
  }

  @Test
  @DisplayName("a second signup with the same email, whatever its case, with 409")
  void duplicateEmail() {
    String email = uniqueEmail();
    JsonObject body = new JsonObject().put("email", email).put("password", "long enough pw").put("name", "A");
    assertThat(api.post("/api/v1/auth/signup", null, body).status()).isEqualTo(201);
    Response again = api.post("/api/v1/auth/signup", null, body.copy().put("email", email.toUpperCase()));
    assertProblem(again, 409);
  }

  @Test
  @DisplayName("a wrong password and an unknown email with the same 401")
  void badLogin() {
    String email = uniqueEmail();
    api.post("/api/v1/auth/signup", null,
        new JsonObject().put("email", email).put("password", "long enough pw").put("name", "A"));
    Response wrong = api.post("/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", "not the password"));
    Response unknown = api.post("/api/v1/auth/login", null,
        new JsonObject().put("email", uniqueEmail()).put("password", "not the password"));
    assertProblem(wrong, 401);
    assertProblem(unknown, 401);
    assertThat(wrong.json().getString("detail")).isEqualTo(unknown.json().getString("detail"));
    assertThat(wrong.header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  @DisplayName("requests without credentials, with unknown tokens, or with the wrong kind of token")
  void missingOrWrongCredentials() {
    assertProblem(api.get("/api/v1/me", null), 401);
    assertProblem(api.get("/api/v1/me", "sxs_nonsense"), 401);
    assertProblem(api.get("/api/v1/project", "sxk_nonsense"), 401);
    assertProblem(api.send(api.request("/api/v1/me").header("Authorization", "Basic Zm9vOmJhcg==").build()), 401);
    String key = api.newProjectKey();
    String session = api.newSession();
    assertProblem(api.get("/api/v1/me", key), 401);
    assertProblem(api.get("/api/v1/project", session), 401);
    assertThat(api.get("/api/v1/me", null).header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  @DisplayName("a revoked API key")
  void revokedKey() {
    String session = api.newSession();
    String projectId = api.newProject(session, "revocation");
    Response created = api.post("/api/v1/projects/" + projectId + "/api-keys", session,
        new JsonObject().put("name", "to revoke"));
    String key = created.json().getString("key");
    assertThat(api.get("/api/v1/project", key).status()).isEqualTo(200);
    assertThat(api.delete("/api/v1/projects/" + projectId + "/api-keys/" + created.json().getString("id"),
        session).status()).isEqualTo(204);
    assertProblem(api.get("/api/v1/project", key), 401);
    // revoking twice: the key is gone
    assertProblem(api.delete("/api/v1/projects/" + projectId + "/api-keys/"
        + created.json().getString("id"), session), 404);
  }

  @Test
  @DisplayName("another person's project with 404, as if it did not exist")
  void anotherUsersProject() {
    String owner = api.newSession();
    String projectId = api.newProject(owner, "private");
    String keyId = api.post("/api/v1/projects/" + projectId + "/api-keys", owner,
        new JsonObject().put("name", "k")).json().getString("id");
    String stranger = api.newSession();
    assertProblem(api.get("/api/v1/projects/" + projectId + "/api-keys", stranger), 404);
    assertProblem(api.post("/api/v1/projects/" + projectId + "/api-keys", stranger,
        new JsonObject().put("name", "mine now")), 404);
    assertProblem(api.delete("/api/v1/projects/" + projectId + "/api-keys/" + keyId, stranger), 404);
    assertThat(api.get("/api/v1/projects", stranger).data()).isEmpty();
    // nothing changed for the owner
    assertThat(api.get("/api/v1/projects/" + projectId + "/api-keys", owner).data()).hasSize(1);
    assertProblem(api.get("/api/v1/projects/not-a-uuid/api-keys", owner), 404);
  }

  @Test
  @DisplayName("a project without a name or with retention outside 1..3650")
  void invalidProject() {
    String session = api.newSession();
    assertProblem(api.post("/api/v1/projects", session, new JsonObject()), 400);
    Response r = api.post("/api/v1/projects", session,
        new JsonObject().put("name", "x").put("retention_days", 0));
    assertProblem(r, 400);
    assertThat(fields(r)).containsExactly("retention_days");
    assertProblem(api.post("/api/v1/projects", session,
        new JsonObject().put("name", "x").put("retention_days", 3651)), 400);
    assertProblem(api.post("/api/v1/projects", session,
        new JsonObject().put("name", "x".repeat(513))), 400);
    assertThat(api.get("/api/v1/projects", session).data()).isEmpty();
  }

  @Test
  @DisplayName("a logged-out session")
  void loggedOut() {
    String session = api.newSession();
    assertThat(api.post("/api/v1/auth/logout", session, null).status()).isEqualTo(204);
    assertProblem(api.get("/api/v1/me", session), 401);
    assertProblem(api.post("/api/v1/auth/logout", session, null), 401);
  }

  @Test
  @DisplayName("a login or an API key without the fields they need, naming each")
  void bodiesWithoutFields() {
    Response login = api.post("/api/v1/auth/login", null, new JsonObject());
    assertProblem(login, 400);
    assertThat(fields(login)).containsExactlyInAnyOrder("email", "password");

    String session = api.newSession();
    String project = api.newProject(session, "keys");
    Response key = api.post("/api/v1/projects/" + project + "/api-keys", session, new JsonObject());
    assertProblem(key, 400);
    assertThat(fields(key)).containsExactly("name");
  }

  @Test
  @DisplayName("every route the API document says needs credentials, when none are sent (401)")
  void everySecuredRouteWithoutCredentials() {
    List<OpenApi.Operation> secured = OpenApi.document().operations().stream()
        .filter(OpenApi.Operation::secured)
        .filter(op -> !op.template().startsWith("/api/v1/admin/")) // none configured here: 404
        .toList();
    assertThat(secured).hasSizeGreaterThan(10);
    for (OpenApi.Operation op : secured) {
      String path = op.template().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
      HttpRequest.Builder request = api.request(path);
      request = op.method().equals("GET") || op.method().equals("DELETE")
          ? request.method(op.method(), HttpRequest.BodyPublishers.noBody())
          : request.header("Content-Type", "application/json")
              .method(op.method(), HttpRequest.BodyPublishers.ofString("{}"));
      Response r = api.send(request.build());
      assertProblem(r, 401);
      assertThat(r.header("WWW-Authenticate")).as(op.id()).isEqualTo("Bearer");
    }
  }
}
