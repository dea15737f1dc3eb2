package dev.sextant.cache;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An encoded answer as the cache keeps it: gzip-compressed when it is at least the server's
 * compression threshold, so a cache hit is sent as stored instead of being compressed again for
 * every client that accepts gzip (most do). A client that does not gets it decompressed.
 */
public record CachedBody(Buffer bytes, boolean gzipped) {

  /** The JSON text {@code json}, compressed when it is at least {@code gzipThreshold} bytes. */
  public static CachedBody of(String json, int gzipThreshold) {
    byte[] plain = json.getBytes(StandardCharsets.UTF_8);
    if (plain.length < gzipThreshold) {
      return new CachedBody(Buffer.buffer(plain), false);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: does not happen
    }
    return new CachedBody(Buffer.buffer(out.toByteArray()), true);
  }

  /** The body uncompressed. */
  public Buffer plain() {
    if (!gzipped) {
      return bytes;
    }
    try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(bytes.getBytes()))) {
      return Buffer.buffer(gzip.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // we compressed it ourselves
    }
  }

  /** The body as text. */
  public String text() {
    return plain().toString(StandardCharsets.UTF_8);
  }
}
