package dev.sextant.common;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Opaque keyset cursors: the (time, id) of the last row of a page, base64url-encoded. The next page
 * starts strictly after it, so rows inserted meanwhile never shift a page.
 */
public final class Cursors {

  /** Where a page ended. */
  public record Position(OffsetDateTime time, String id) {}

  private Cursors() {}

  public static String encode(Position position) {
    return encode(position.time(), position.id());
  }

  public static String encode(OffsetDateTime time, String id) {
    // not ChronoUnit.MICROS.between: it counts in nanoseconds, which overflow after the year 2262
    Instant instant = time.toInstant();
    long micros = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    String json = new JsonObject().put("t", micros).put("i", id).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The position, or null when {@code cursor} is not one this server made. */
  public static Position decode(String cursor) {
    if (cursor == null || cursor.length() > 1024) {
      return null;
    }
    try {
      JsonObject json = new JsonObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      Object t = json.getValue("t");
      Object i = json.getValue("i");
      // microseconds are whole and within a long, as encode writes them
      boolean whole = t instanceof Integer || t instanceof Long;
      if (!whole || !(i instanceof String id) || !Ids.isValidClientId(id)) {
        return null;
      }
      OffsetDateTime time = Instant.EPOCH.plus(((Number) t).longValue(), ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
      return new Position(time, id);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
