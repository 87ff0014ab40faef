package dev.vaultengine;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A vault as the API returns it. {@code type} is always {@code vault}; {@code archivedAt} is
 * present only when archived. Times are UTC with microsecond precision.
 *
 * @param id {@code vault_} followed by 32 lowercase hex digits
 * @param displayName 1-255 characters
 * @param status active or archived
 * @param metadata at most 16 string pairs, unmodifiable, iterated in key order
 * @param archivedAt when it was archived, present only when archived
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record Vault(
    String id,
    String displayName,
    Status status,
    Map<String, String> metadata,
    Optional<Instant> archivedAt,
    Instant createdAt,
    Instant updatedAt) {

  /** The object type, always {@code vault}. */
  public String type() {
    return "vault";
  }
}
