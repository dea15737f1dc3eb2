package dev.sextant.server;

import dev.sextant.config.SextantConfig.HttpConfig;
import dev.sextant.http.ConnectionGuard;
import dev.sextant.http.InvalidRequestHandler;
import dev.sextant.http.MalformedBodyHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/** One HTTP server on the shared port; deployed once per core. */
final class ApiVerticle extends VerticleBase {

  private final Services services;
  private final Resources resources;
  private final int port;
  private HttpServer server;

  ApiVerticle(Services services, Resources resources, int port) {
    this.services = services;
    this.resources = resources;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    HttpConfig http = services.config().http();
    HttpServerOptions options = new HttpServerOptions()
        .setCompressionSupported(true)
        .setCompressionContentSizeThreshold(http.compressionThresholdBytes())
        // request bodies are decompressed by RequestDecodingHandler, which can answer a body that
        // does not decode; the server's decoder closes the connection on it instead
        .setDecompressionSupported(false)
        // HTTP/1.1 only: HAProxy and the OpenTelemetry exporters speak HTTP/1.1, so an h2c
        // upgrade would only be one more request path to keep right
        .setHttp2ClearTextEnabled(false)
        // no WebSocket endpoints: without their compression the server leaves out a handler that
        // otherwise looks at every response written
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setTcpNoDelay(true);
    // bytes trickled in reset the idle timeout: the guard bounds how long a request may take
    ConnectionGuard guard = new ConnectionGuard(vertx, http.requestTimeoutMs(), http.idleTimeoutMs());
    Handler<HttpConnection> guarded = guard.connectionHandler();
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> {
          // a body the codec cannot decode gets a 400 rather than a bare close
          MalformedBodyHandler.install(connection);
          guarded.handle(connection);
        })
        .requestHandler(guard.requests(ApiRouter.create(vertx, services, resources)))
        .invalidRequestHandler(new InvalidRequestHandler());
    return server.listen(port, http.host());
  }

  /** Stops accepting, lets in-flight requests finish within the configured bound, then closes. */
  @Override
  public Future<?> stop() {
    return server.shutdown(services.config().http().shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
  }
}
