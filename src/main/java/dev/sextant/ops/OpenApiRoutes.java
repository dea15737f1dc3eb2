package dev.sextant.ops;

import dev.sextant.common.ClasspathText;
import dev.sextant.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code GET /openapi.yaml} and {@code /openapi.json}: the API's OpenAPI document
 * ({@code docs/openapi.yaml}, shipped inside the jar), unauthenticated and never rate limited, like
 * health. It is read and converted once per process, off the event loop.
 */
public final class OpenApiRoutes implements Routes {

  /** Where the build puts {@code docs/openapi.yaml} on the classpath. */
  public static final String RESOURCE = "openapi/openapi.yaml";

  private record Document(Buffer yaml, Buffer json) {}

  private final Future<Document> document;

  public OpenApiRoutes(Vertx vertx) {
    this.document = vertx.executeBlocking(OpenApiRoutes::load);
  }

  @Override
  public void mount(Router router) {
    router.get("/openapi.yaml").handler(ctx -> answer(ctx, "application/yaml", false));
    router.get("/openapi.json").handler(ctx -> answer(ctx, "application/json", true));
  }

  private void answer(RoutingContext ctx, String contentType, boolean json) {
    document.onComplete(loaded -> {
      if (loaded.failed()) {
        ctx.fail(loaded.cause());
      } else {
        ctx.response().putHeader("Content-Type", contentType)
            .end(json ? loaded.result().json() : loaded.result().yaml());
      }
    });
  }

  private static Document load() {
    String yaml = ClasspathText.read(RESOURCE);
    Map<String, Object> tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return new Document(Buffer.buffer(yaml), new JsonObject(tree).toBuffer());
  }
}
