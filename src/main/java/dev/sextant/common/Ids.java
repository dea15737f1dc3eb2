package dev.sextant.common;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;
import java.util.regex.Pattern;

/** Server-made ids: time-ordered UUIDv7, so new rows land at the right edge of their indexes. */
public final class Ids {

  private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private Ids() {}

  public static UUID newUuid() {
    return UUID_V7.generate();
  }

  /** Whether a client-supplied id (trace, span, score, dataset item) has the allowed shape. */
  public static boolean isValidClientId(String id) {
    return id != null && CLIENT_ID.matcher(id).matches();
  }

  /** Parses a server-made id from a path; {@code null} when it is not a UUID at all. */
  public static UUID parseUuid(String value) {
    if (value == null || value.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
