package dev.sextant.projects;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A project; its traces are kept {@code retentionDays} days. */
record Project(UUID id, String name, int retentionDays, OffsetDateTime createdAt) {

  /** A project as one of its members sees it: with that member's role. */
  record Membership(Project project, String role) {}
}
