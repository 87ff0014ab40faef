package dev.vaultengine.spi;

import dev.vaultengine.Status;
import java.time.Instant;
import java.util.Map;

/**
 * A vault as a store keeps it. Stores return exactly what they were given; times are UTC with
 * microsecond precision.
 *
 * @param accountId owning account
 * @param id vault id; ids order by creation time
 * @param displayName display name, stored exactly
 * @param metadata string pairs, stored exactly
 * @param status active or archived
 * @param archivedAt null unless archived
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record VaultRow(
    String accountId,
    String id,
    String displayName,
    Map<String, String> metadata,
    Status status,
    Instant archivedAt,
    Instant createdAt,
    Instant updatedAt) {

  /** Makes the metadata an unmodifiable copy. */
  public VaultRow {
    metadata = Map.copyOf(metadata);
  }

  /** This row archived at {@code at}. */
  public VaultRow archived(Instant at) {
    return new VaultRow(accountId, id, displayName, metadata, Status.ARCHIVED, at, createdAt, at);
  }
}
