package dev.sextant.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Decodes a request body sent with {@code Content-Encoding}: {@code gzip} (or {@code x-gzip}),
 * {@code deflate} (the zlib format, as HTTP defines it), {@code identity}, or a list of them in
 * the order they were applied. Runs once the body has been read. An encoding it does not know is
 * a 415, a body that does not decode a 400, a decoded body over the route's limit a 413.
 *
 * <p>This is done here rather than by the server ({@code HttpServerOptions.setDecompressionSupported}):
 * there Netty's decoder raises a body that is not valid gzip as an exception in the channel
 * pipeline, on which Vert.x closes the connection without any answer, and it passes an encoding it
 * does not know on as though the body were plain.
 */
public final class RequestDecodingHandler implements Handler<RoutingContext> {

  private static final int CHUNK = 8192;

  private final ToLongFunction<RoutingContext> decodedLimit;

  /** {@code decodedLimit}: the largest body, once decoded, the request's route takes. */
  public RequestDecodingHandler(ToLongFunction<RoutingContext> decodedLimit) {
    this.decodedLimit = decodedLimit;
  }

  /** Whether the request declares an encoding other than {@code identity}. */
  static boolean isEncoded(HttpServerRequest request) {
    return !codings(request).isEmpty();
  }

  @Override
  public void handle(RoutingContext ctx) {
    List<String> codings = codings(ctx.request());
    Buffer body = ctx.body().buffer();
    if (codings.isEmpty() || body == null || body.length() == 0) {
      ctx.next();
      return;
    }
    for (String coding : codings) {
      if (!coding.equals("gzip") && !coding.equals("deflate")) {
        ctx.fail(Problem.of(415, "Content-Encoding must be gzip, deflate or identity"));
        return;
      }
    }
    byte[] bytes = body.getBytes();
    long limit = decodedLimit.applyAsLong(ctx);
    // the last coding listed is the last one applied: undo them from the end
    for (int i = codings.size() - 1; i >= 0; i--) {
      bytes = decode(codings.get(i), bytes, limit);
    }
    RequestBody.replaceWithDecoded(ctx, Buffer.buffer(bytes));
    ctx.next();
  }

  /** The codings of {@code Content-Encoding}, lower case, {@code x-gzip} as gzip, identity left out. */
  private static List<String> codings(HttpServerRequest request) {
    List<String> codings = new ArrayList<>(1);
    for (String header : request.headers().getAll(HttpHeaders.CONTENT_ENCODING)) {
      for (String item : header.split(",")) {
        String coding = item.trim().toLowerCase(Locale.ROOT);
        if (coding.equals("x-gzip")) {
          coding = "gzip";
        }
        if (!coding.isEmpty() && !coding.equals("identity")) {
          codings.add(coding);
        }
      }
    }
    return codings;
  }

  private static byte[] decode(String coding, byte[] encoded, long limit) {
    ByteArrayInputStream source = new ByteArrayInputStream(encoded);
    try (InputStream in = coding.equals("gzip")
        ? new GZIPInputStream(source, CHUNK) : new InflaterInputStream(source)) {
      return readAtMost(in, limit);
    } catch (IOException e) { // bad header, bad data, bad checksum, or cut short
      throw Problem.badRequest("The request body is not valid " + coding);
    }
  }

  /** Reads {@code in} to its end, or fails with 413 as soon as it yields over {@code limit} bytes. */
  private static byte[] readAtMost(InputStream in, long limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
    byte[] chunk = new byte[CHUNK];
    for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
      if (out.size() + n > limit) {
        throw Problem.of(413, "The request body is too large once decompressed");
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }
}
