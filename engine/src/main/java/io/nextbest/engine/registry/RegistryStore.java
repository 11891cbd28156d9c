package io.nextbest.engine.registry;

import io.nextbest.engine.RuleSetSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where rule-set versions, the active pointer and the audit log live (embedded SQLite, or Redis to
 * share).
 */
public interface RegistryStore {
  /** Every version, oldest first. */
  List<VersionInfo> versions();

  Optional<VersionInfo> version(int sequence);

  Optional<VersionInfo> byHash(String hash);

  /**
   * Stores a new version with the next sequence number; a source whose hash exists returns that
   * version.
   */
  VersionInfo add(
      RuleSetSource source, String author, String comment, Integer basedOn, String origin);

  RuleSetSource source(int sequence);

  OptionalInt active();

  void setActive(int sequence);

  void audit(String actor, String action, Integer version, String detail);

  /** The newest entries first. */
  List<AuditEntry> audit(int limit);
}
