package dev.sextant.http;

import static dev.sextant.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.support.ApiClient;
import dev.sextant.support.ApiClient.Response;
import dev.sextant.support.RawHttp;
import dev.sextant.support.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Chunked request bodies the HTTP codec cannot decode, sent over a bare socket. */
@DisplayName("A malformed chunked request body")
class MalformedChunkedBodyTest {

  private static TestServer server;
  private static ApiClient api;
  private static RawHttp raw;
  private static String key;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.client;
    raw = new RawHttp(server.port());
    key = api.newProjectKey();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String ingestHead() {
    return "POST /api/v1/ingest HTTP/1.1\nHost: localhost\nAuthorization: Bearer " + key
        + "\nContent-Type: application/json\nTransfer-Encoding: chunked";
  }

  /** An ingest batch of one trace, {@code id}. */
  private static String batchOf(String id) {
    return "{\"batch\":[{\"type\":\"trace\",\"body\":{\"id\":\"" + id + "\",\"name\":\"n\"}}]}";
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Sends {@code body} as given; asserts the 400 and that trace {@code id} was not stored. */
  private static void assertRejected(String id, String body) {
    Response r = raw.send(ingestHead(), bytes(body));
    assertProblem(r, 400);
    assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
    assertThat(api.get("/api/v1/traces/" + id, key).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("with a chunk size that is not hex gets a 400 problem and stores nothing")
  void sizeNotHex() {
    String batch = batchOf("bad-size");
    assertRejected("bad-size", "zz\r\n" + batch + "\r\n0\r\n\r\n");
  }

  @Test
  @DisplayName("with a chunk longer than its size gets a 400 problem and stores nothing")
  void chunkLongerThanAnnounced() {
    String batch = batchOf("bad-mismatch");
    assertRejected("bad-mismatch", "2\r\n" + batch + "\r\n0\r\n\r\n");
  }

  @Test
  @DisplayName("with a chunk missing its CRLF gets a 400 problem and stores nothing")
  void missingCrlf() {
    String batch = batchOf("bad-crlf");
    assertRejected("bad-crlf", Integer.toHexString(batch.length()) + "\r\n" + batch + "0\r\n\r\n");
  }

  @Test
  @DisplayName("with a chunk size too large for any number gets a 400 problem and stores nothing")
  void hugeSize() {
    String batch = batchOf("bad-huge");
    assertRejected("bad-huge", "fffffffffffffffffff\r\n" + batch + "\r\n0\r\n\r\n");
  }

  @Test
  @DisplayName("going bad after a first good chunk gets a 400 problem and stores nothing")
  void badAfterGoodChunk() {
    // the first chunk is a whole batch: only the broken rest stands between it and the database
    String batch = batchOf("bad-late");
    assertRejected("bad-late", chunk(batch) + "zz\r\nxx\r\n0\r\n\r\n");
  }

  @Test
  @DisplayName("sent after a pipelined request gets the 400 after that request's answer")
  void afterPipelinedRequest() throws IOException {
    // answered from the database: its answer is still to come when the broken body is read
    String good = "GET /api/v1/traces/pipelined HTTP/1.1\r\nHost: localhost\r\n"
        + "Authorization: Bearer " + key + "\r\n\r\n";
    String bad = ingestHead().replace("\n", "\r\n") + "\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes(good + bad));
      out.flush();
      // read until the server closes the connection: it does, after the 400
      String answers = new String(socket.getInputStream().readAllBytes(),
          StandardCharsets.ISO_8859_1);
      Matcher status = Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(answers);
      assertThat(status.find()).as(answers).isTrue();
      assertThat(status.group(1)).isEqualTo("404");
      assertThat(status.find()).as(answers).isTrue();
      assertThat(status.group(1)).isEqualTo("400");
      assertThat(answers).contains("application/problem+json");
      assertThat(status.find()).as(answers).isFalse();
    }
  }

  @Test
  @DisplayName("well formed, in several chunks, is still ingested")
  void wellFormed() {
    String batch = batchOf("good-chunked");
    int half = batch.length() / 2;
    Response r = raw.send(ingestHead(),
        bytes(chunk(batch.substring(0, half)) + chunk(batch.substring(half)) + "0\r\n\r\n"));
    assertThat(r.status()).as(r.body()).isEqualTo(207);
    assertThat(api.get("/api/v1/traces/good-chunked", key).status()).isEqualTo(200);
  }
}
