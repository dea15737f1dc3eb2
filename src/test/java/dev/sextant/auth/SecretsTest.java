package dev.sextant.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.TestInfra;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every auth route, with good and bad credentials, while the log is captured: no password, session
 * token or API key may show in a log line or an error body, nor be stored other than hashed.
 */
@DisplayName("Secrets")
class SecretsTest {

  private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();

  private final List<Response> answers = new ArrayList<>();

  private Response keep(Response r) {
    answers.add(r);
    return r;
  }

  @Test
  @DisplayName("never show in a log line or an error body, and are stored only as hashes")
  void neverLoggedNorStoredInClear() throws Exception {
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    // the access log does not go through the root logger: it has an appender of its own
    Logger access = (Logger) LoggerFactory.getLogger("sextant.access");
    captured.start();
    root.addAppender(captured);
    access.addAppender(captured);
    List<String> secrets = new ArrayList<>();
    try (TestServer server = TestServer.start(Map.of("SEXTANT_HTTP_ACCESS_LOG", "true",
        "SEXTANT_ADMIN_TOKEN", ADMIN_TOKEN))) {
      ApiClient api = server.client;
      String email = "secret-" + UUID.randomUUID() + "@example.com";
      String password = "pw-" + UUID.randomUUID();
      String wrongPassword = "wrong-" + UUID.randomUUID();
      String bogusSession = "sess_" + UUID.randomUUID().toString().replace("-", "");
      String bogusKey = "sk_" + UUID.randomUUID().toString().replace("-", "");
      secrets.addAll(List.of(password, wrongPassword, bogusSession, bogusKey, ADMIN_TOKEN));

      keep(api.post("/api/v1/auth/signup", null, new JsonObject().put("email", email)
          .put("password", password).put("name", "Secret Keeper")));
      keep(api.post("/api/v1/auth/signup", null, new JsonObject().put("email", email)
          .put("password", password).put("name", "Twice")));
      keep(api.post("/api/v1/auth/signup", null, new JsonObject().put("email", "x" + email)
          .put("password", "short")));
      secrets.add("short");
      keep(api.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", wrongPassword)));
      keep(api.post("/api/v1/auth/login", null, new JsonObject().put("email", "nobody" + email).put("password", password)));
      keep(api.post("/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", 42)));
      Response login = keep(api.post("/api/v1/auth/login", null,
          new JsonObject().put("email", email).put("password", password)));
      assertThat(login.status()).isEqualTo(200);
      String session = login.json().getString("token");
      secrets.add(session);

      keep(api.get("/api/v1/me", session));
      keep(api.get("/api/v1/me", bogusSession));
      Response project = keep(api.post("/api/v1/projects", session, new JsonObject().put("name", "secrets")));
      String projectId = project.json().getString("id");
      Response created = keep(api.post("/api/v1/projects/" + projectId + "/api-keys", session,
          new JsonObject().put("name", "k")));
      String key = created.json().getString("key");
      String keyId = created.json().getString("id");
      secrets.add(key);
      keep(api.post("/api/v1/projects/" + projectId + "/api-keys", bogusSession, new JsonObject().put("name", "k")));
      keep(api.get("/api/v1/projects/" + projectId + "/api-keys", session));
      keep(api.get("/api/v1/project", key));
      keep(api.get("/api/v1/project", bogusKey));
      keep(api.get("/api/v1/project", session));   // a session where a key is needed
      keep(api.get("/api/v1/me", key));            // and the reverse
      keep(api.get("/api/v1/admin/performance", bogusKey));
      keep(api.get("/api/v1/admin/performance", ADMIN_TOKEN));
      // while the session and the key are live: held, and held only as hashes
      assertStoredOnlyHashed(server.databaseUrl(), password, session, key);
      keep(api.delete("/api/v1/projects/" + projectId + "/api-keys/" + keyId, session));
      keep(api.get("/api/v1/project", key));       // revoked
      keep(api.post("/api/v1/auth/logout", session, null));
      keep(api.get("/api/v1/me", session));        // logged out
      keep(api.post("/api/v1/auth/logout", bogusSession, null));

      assertThat(answers).extracting(Response::status).contains(401, 409, 400);
      for (Response r : answers) {
        if (r.status() >= 400) {
          for (String secret : secrets) {
            assertThat(r.body()).as("error body %s", r.status()).doesNotContain(secret);
          }
        }
      }
    } finally {
      root.detachAppender(captured);
      access.detachAppender(captured);
    }
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : captured.list) {
      lines.add(event.getFormattedMessage() + " " + event.getMDCPropertyMap()
          + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())));
    }
    assertThat(lines).as("captured log lines").isNotEmpty();
    assertThat(lines).anyMatch(l -> l.contains("/api/v1/auth/login")); // the access log was captured
    for (String line : lines) {
      for (String secret : secrets) {
        assertThat(line).as("a log line").doesNotContain(secret);
      }
    }
  }

  private static void assertStoredOnlyHashed(String url, String password, String session, String key)
      throws Exception {
    try (Connection db = TestInfra.jdbc(url); Statement st = db.createStatement()) {
      for (String table : List.of("users", "sessions", "api_keys", "projects", "project_members")) {
        try (ResultSet rs = st.executeQuery("SELECT t::text FROM " + table + " t")) {
          while (rs.next()) {
            String row = rs.getString(1);
            assertThat(row).as(table).doesNotContain(password).doesNotContain(session).doesNotContain(key);
          }
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions WHERE token_hash = decode('"
          + sha256Hex(session) + "', 'hex')")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the session held as its SHA-256").isEqualTo(1);
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM api_keys WHERE key_hash = decode('"
          + sha256Hex(key) + "', 'hex')")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the key held as its SHA-256").isEqualTo(1);
      }
      try (ResultSet rs = st.executeQuery("SELECT password_hash FROM users")) {
        while (rs.next()) {
          assertThat(rs.getString(1)).as("a password hash, not the password").doesNotContain(password)
              .startsWith("$");
        }
      }
    }
  }

  private static String sha256Hex(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
