package dev.sextant.support;

import dev.sextant.support.ApiClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a bare socket, for requests that well-behaved clients refuse to send: a path with
 * bad percent-encoding, duplicate {@code Content-Length}s, a garbage request line. Each request
 * goes on a connection of its own, closed by the client after the answer.
 */
public final class RawHttp {

  private final int port;

  public RawHttp(int port) {
    this.port = port;
  }

  /**
   * Sends {@code head} (request line and headers, without the blank line that ends them; CRLFs
   * are added) and {@code body}; the answer, read until the server closes the connection.
   *
   * @throws UncheckedIOException also when the server closes the connection without any answer
   */
  public Response send(String head, byte[] body) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      String fullHead = head.replace("\n", "\r\n") + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(fullHead.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(body);
      socket.getOutputStream().flush();
      return parse(socket.getInputStream().readAllBytes(), head.startsWith("HEAD "));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Response send(String head) {
    return send(head, new byte[0]);
  }

  private static Response parse(byte[] raw, boolean head) throws IOException {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      throw new IOException("no complete HTTP answer (" + raw.length + " bytes received)");
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      String[] nameValue = lines[i].split(":", 2);
      headers.computeIfAbsent(nameValue[0].trim(), k -> new ArrayList<>()).add(nameValue[1].trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if (!head && "chunked".equalsIgnoreCase(first(headers, "Transfer-Encoding"))) {
      body = unchunk(body);
    }
    return new Response(status, java.net.http.HttpHeaders.of(headers, (k, v) -> true), body);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null ? null : values.get(0);
  }

  private static byte[] unchunk(byte[] chunked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = new java.io.ByteArrayInputStream(chunked);
    while (true) {
      StringBuilder size = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("chunked body ends early");
        }
        size.append((char) c);
      }
      int length = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
      if (length == 0) {
        return out.toByteArray();
      }
      out.write(in.readNBytes(length));
      in.skip(2); // CRLF after the chunk
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
