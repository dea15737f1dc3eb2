package dev.sextant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.support.ApiClient;
import dev.sextant.support.Injected;
import dev.sextant.support.OpenApi;
import dev.sextant.support.ServerExtension;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

@ExtendWith(ServerExtension.class)
@DisplayName("The OpenAPI document")
class OpenApiDocumentTest {

  @Injected private static ApiClient api;

  @Test
  @DisplayName("is served as YAML and as the same document in JSON, without credentials")
  void isServed() throws Exception {
    ApiClient.Response yaml = api.get("/openapi.yaml", null);
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.header("Content-Type")).isEqualTo("application/yaml");
    assertThat(yaml.body()).isEqualTo(Files.readString(OpenApi.DOCUMENT));
    assertThat(yaml.header("X-RateLimit-Limit")).as("never rate limited").isNull();

    ApiClient.Response json = api.get("/openapi.json", null);
    assertThat(json.status()).isEqualTo(200);
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml.body());
    assertThat(json.json()).isEqualTo(new JsonObject(castMap(tree)));
    assertThat(json.json().getString("openapi")).startsWith("3.1");
  }

  @Test
  @DisplayName("refuses an answer whose body does not match the operation's schema")
  void catchesAWrongBody() {
    byte[] wrong = new JsonObject().put("id", "t1").encode().getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> OpenApi.document().check("GET", "/api/v1/traces/t1", 200,
            "application/json", wrong))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("does not match");
  }

  @Test
  @DisplayName("refuses a status the operation does not document, and a route it does not have")
  void catchesAnUndocumentedAnswer() {
    assertThatThrownBy(() -> OpenApi.document().check("GET", "/health/live", 418, null, new byte[0]))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("does not document status 418");
    assertThatThrownBy(() -> OpenApi.document().check("GET", "/api/v1/nowhere", 200, null, new byte[0]))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not in docs/openapi.yaml");
  }

  @Test
  @DisplayName("matches a literal path before a template that would also match it")
  void literalPathFirst() {
    assertThat(OpenApi.document().find("GET", "/api/v1/traces/stats").id()).isEqualTo("getStats");
    assertThat(OpenApi.document().find("GET", "/api/v1/traces/abc").id()).isEqualTo("getTrace");
    assertThat(OpenApi.document().find("HEAD", "/api/v1/traces/abc").id()).isEqualTo("getTrace");
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> castMap(Object tree) {
    return (java.util.Map<String, Object>) tree;
  }
}
