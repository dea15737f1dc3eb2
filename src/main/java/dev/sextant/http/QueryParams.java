package dev.sextant.http;

import dev.sextant.common.Cursors;
import dev.sextant.common.Ids;
import dev.sextant.common.Times;
import dev.sextant.validation.Validator;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Query-string parameters with the contract's rules; a bad value is a 400 naming the parameter. */
public final class QueryParams {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  private QueryParams() {}

  /** {@code limit}: 1–1000, default 50. */
  public static int limit(RoutingContext ctx) {
    String raw = ctx.queryParams().get("limit");
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid("limit", "must be an integer from 1 to " + MAX_LIMIT);
  }

  private static final String MALFORMED_CURSOR = "is malformed: pass back the next_cursor of a previous page";

  /** {@code cursor}: null on the first page; malformed is a 400. */
  public static Cursors.Position cursor(RoutingContext ctx) {
    String raw = ctx.queryParams().get("cursor");
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    Cursors.Position position = Cursors.decode(raw);
    if (position == null) {
      throw invalid("cursor", MALFORMED_CURSOR);
    }
    return position;
  }

  /** {@code cursor} of a list keyed by server-made ids: one whose id is no UUID is malformed too. */
  public static Cursors.Position uuidCursor(RoutingContext ctx) {
    Cursors.Position position = cursor(ctx);
    if (position != null && Ids.parseUuid(position.id()) == null) {
      throw invalid("cursor", MALFORMED_CURSOR);
    }
    return position;
  }

  /**
   * A bound of a time range ({@code from} inclusive, {@code to} exclusive), raised to the next
   * microsecond when finer: times are stored in microseconds, and PostgreSQL would round
   * {@code from=…00.0000001Z} down to {@code …00Z}, taking in a trace that starts before it.
   */
  public static OffsetDateTime timestamp(RoutingContext ctx, String name) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    OffsetDateTime time = Times.parse(raw);
    if (time == null) {
      throw invalid(name, "must be an RFC 3339 timestamp or epoch nanoseconds");
    }
    int belowMicros = time.getNano() % 1_000;
    return belowMicros == 0 ? time : time.plusNanos(1_000 - belowMicros);
  }

  public static String string(RoutingContext ctx, String name, int maxLength) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (Validator.longerThan(raw, maxLength)) {
      throw invalid(name, "must be at most " + maxLength + " characters");
    }
    if (raw.indexOf('\0') >= 0) {
      throw invalid(name, Validator.NUL);
    }
    return raw;
  }

  public static List<String> all(RoutingContext ctx, String name, int maxCount, int maxLength) {
    List<String> values = ctx.queryParams().getAll(name);
    if (values.size() > maxCount) {
      throw invalid(name, "may be given at most " + maxCount + " times");
    }
    for (String value : values) {
      if (value.isEmpty() || Validator.longerThan(value, maxLength)) {
        throw invalid(name, "must be 1 to " + maxLength + " characters");
      }
      if (value.indexOf('\0') >= 0) {
        throw invalid(name, Validator.NUL);
      }
    }
    return values;
  }

  public static String oneOf(RoutingContext ctx, String name, Set<String> allowed, String fallback) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    if (!allowed.contains(raw)) {
      throw invalid(name, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
    }
    return raw;
  }

  /**
   * One of a fixed set of values, each named by the text a client sends: {@code fallback} when the
   * parameter is absent or empty, a 400 listing the names when it is none of them.
   */
  public static <T> T oneOf(RoutingContext ctx, String name, Map<String, T> allowed, T fallback) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    T value = allowed.get(raw);
    if (value == null) {
      throw invalid(name, "must be one of " + String.join(", ", allowed.keySet().stream().sorted().toList()));
    }
    return value;
  }

  private static Problem invalid(String name, String message) {
    return Problem.invalid(name, message);
  }
}
