package dev.sextant.auth;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Who a request acts for: a person with a session, or a project through one of its API keys. */
public sealed interface Principal {

  /** A signed-in person. */
  record User(UUID id, String email, String name, OffsetDateTime createdAt) implements Principal {}

  /** An SDK or exporter: every data-plane request it makes is scoped to {@code projectId}. */
  record Project(UUID projectId, UUID keyId) implements Principal {}
}
