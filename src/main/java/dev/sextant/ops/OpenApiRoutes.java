package dev.sextant.ops;

import dev.sextant.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      byte[] yaml = in.readAllBytes();
      Map<String, Object> tree = new Yaml(new SafeConstructor(new LoaderOptions()))
          .load(new String(yaml, java.nio.charset.StandardCharsets.UTF_8));
      return new Document(Buffer.buffer(yaml), new JsonObject(tree).toBuffer());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
