package dev.sextant.auth;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An API key as listed: never its secret, only the first characters to tell keys apart.
 *
 * @param prefix the key's first characters, kept in clear
 */
public record ApiKey(UUID id, String name, String prefix, OffsetDateTime createdAt) {

  /** A key just created, with its plaintext: shown in this one answer, stored nowhere. */
  public record Created(ApiKey key, String plaintext) {}
}
