package dev.sextant.http;

import static dev.sextant.support.Batches.batch;
import static dev.sextant.support.Batches.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.Await;
import dev.sextant.support.RawHttp;
import dev.sextant.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Raw-socket clients that hold connections without sending a request, or send a broken one. */
@DisplayName("An abusive connection")
class AbusiveConnectionsTest {

  private static TestServer server;
  private static ApiClient api;
  private static String key;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(
        "SEXTANT_HTTP_REQUEST_TIMEOUT_MS", "1000",
        "SEXTANT_HTTP_IDLE_TIMEOUT_MS", "1500",
        "SEXTANT_DATABASE_POOL_SIZE", "2"));
    api = server.client;
    key = api.newProjectKey();
    api.post("/api/v1/ingest", key, batch(trace(new JsonObject().put("id", "t1").put("input", "x".repeat(3000)))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A client that sends {@code head} and then one byte of {@code drip} every 100 ms. */
  private static final class Trickler implements AutoCloseable {
    final Socket socket;
    final AtomicBoolean closedByServer = new AtomicBoolean();
    final Thread writer;

    Trickler(String head, String drip) throws IOException {
      socket = new Socket("127.0.0.1", server.port());
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Thread reader = new Thread(() -> {
        try (InputStream in = socket.getInputStream()) {
          while (in.read() >= 0) {
            // an answer (none is expected before the close) is read and dropped
          }
        } catch (IOException e) {
          // a reset is a close too
        }
        closedByServer.set(true);
      });
      reader.setDaemon(true);
      reader.start();
      writer = new Thread(() -> {
        try {
          for (int i = 0; !closedByServer.get(); i = (i + 1) % drip.length()) {
            out.write(drip.charAt(i));
            out.flush();
            Thread.sleep(100); // the pace of the attack, not a synchronisation
          }
        } catch (IOException | InterruptedException e) {
          // the server closed the connection, or the test is over
        }
      });
      writer.setDaemon(true);
      writer.start();
    }

    @Override
    public void close() throws IOException {
      writer.interrupt();
      socket.close();
    }
  }

  @Test
  @DisplayName("trickling its request head a byte at a time is closed after the request timeout")
  void slowHead() throws Exception {
    try (Trickler loris = new Trickler("GET /health/live HTTP/1.1\r\nHost: localhost\r\n", "X-Padding: aaaa\r\n")) {
      Await.until(Duration.ofSeconds(20), loris.closedByServer::get, "the server to close the connection");
    }
  }

  @Test
  @DisplayName("trickling its body a byte at a time is closed after the request timeout, holding no pool connection meanwhile")
  void slowBody() throws Exception {
    List<Trickler> lorises = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        lorises.add(new Trickler("POST /api/v1/ingest HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + key + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n", "{\"batch\":[ "));
      }
      // six slow bodies, two pool connections: reads that need the database are still served
      for (int i = 0; i < 5; i++) {
        assertThat(api.get("/api/v1/traces/t1", key).status()).isEqualTo(200);
      }
      for (Trickler loris : lorises) {
        Await.until(Duration.ofSeconds(20), loris.closedByServer::get, "the server to close the connection");
      }
    } finally {
      for (Trickler loris : lorises) {
        loris.close();
      }
    }
  }

  @Test
  @DisplayName("kept alive without a next request, silent or trickling one in, is closed after the idle timeout")
  void idleKeepAlive() throws Exception {
    String get = "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n";
    try (Trickler silent = new Trickler(get, "");
        Trickler dripping = new Trickler(get, "GET /health/live HTTP/1.1\r\nX-Padding: aaaa\r\n")) {
      Await.until(Duration.ofSeconds(20), () -> silent.closedByServer.get() && dripping.closedByServer.get(),
          "the server to close both connections");
    }
  }

  @Test
  @DisplayName("asking HEAD gets the Content-Length the GET answer has")
  void headContentLength() {
    RawHttp raw = new RawHttp(server.port());
    String head = " /api/v1/traces/t1 HTTP/1.1\nHost: localhost\nAuthorization: Bearer " + key;
    Response get = raw.send("GET" + head);
    Response answer = raw.send("HEAD" + head);
    assertThat(get.status()).isEqualTo(200);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Content-Length")).isEqualTo(Integer.toString(get.bytes().length));
    assertThat(answer.bytes()).isEmpty();
  }

  @Test
  @DisplayName("naming gzip in any letter case in Accept-Encoding gets a gzipped answer")
  void acceptEncodingCase() {
    for (String coding : List.of("gzip", "GZIP", "Gzip", "deflate;q=0, GZip;q=1")) {
      Response r = api.get("/api/v1/traces/t1", key, "Accept-Encoding", coding);
      assertThat(r.header("Content-Encoding")).as(coding).isEqualTo("gzip");
    }
  }
}
