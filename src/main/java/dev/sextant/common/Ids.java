package dev.sextant.common;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/** Server-made ids: time-ordered UUIDv7, so new rows land at the right edge of their indexes. */
public final class Ids {

  private static final TimeBasedEpochGenerator UUID_V7 = Generators.timeBasedEpochGenerator();

  private Ids() {}

  public static UUID newUuid() {
    return UUID_V7.generate();
  }

  /** {@code [A-Za-z0-9._:-]} by character: looked up, as ingest checks ids by the hundred. */
  private static final boolean[] CLIENT_ID_CHARS = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      CLIENT_ID_CHARS[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
    }
  }

  /** Whether a client-supplied id (trace, span, score, dataset item) has the allowed shape. */
  public static boolean isValidClientId(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c >= 128 || !CLIENT_ID_CHARS[c]) {
        return false;
      }
    }
    return true;
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
