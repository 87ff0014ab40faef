package dev.vaultengine.spi;

import java.time.Instant;

/**
 * A validated list query, as the engine hands it to a store.
 *
 * <p>A store answers with at most {@code limit + 1} matching rows, the ones nearest the cursor in
 * the direction of travel, in that direction's order: descending id when {@code beforeId} is null
 * (rows with id below {@code afterId}, or all rows), ascending id when {@code beforeId} is set (rows
 * with id above it). The extra row tells the engine that more exist. A store must not use OFFSET:
 * a page must cost O(log n + limit) at any depth when no name filter is set.
 *
 * @param limit page size, 1-100
 * @param afterId exclusive upper bound on ids, or null
 * @param beforeId exclusive lower bound on ids, or null (never both)
 * @param includeArchived false to return active rows only
 * @param nameFolded lower-cased ({@code Locale.ROOT}) substring that the row's lower-cased name
 *     must contain, matched literally, or null. A vault's name is its display name; a credential
 *     matches on its display name or on {@link CredentialRow#searchableKey()} (URL as written, or
 *     secret name).
 * @param createdAtGte inclusive lower bound on created_at, or null
 * @param createdAtLte inclusive upper bound on created_at, or null
 */
public record ListQuery(
    int limit,
    String afterId,
    String beforeId,
    boolean includeArchived,
    String nameFolded,
    Instant createdAtGte,
    Instant createdAtLte) {

  /** True when rows are fetched in ascending id order (a {@code before_id} page). */
  public boolean ascending() {
    return beforeId != null;
  }

  /** How many rows a store fetches: one more than the page, to learn whether more exist. */
  public int fetchSize() {
    return limit + 1;
  }
}
