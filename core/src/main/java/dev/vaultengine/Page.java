package dev.vaultengine;

import java.util.List;

/**
 * One page of a list, newest first.
 *
 * @param data the records, unmodifiable
 * @param firstId id of the first record, null on an empty page
 * @param lastId id of the last record, null on an empty page
 * @param hasMore whether another page exists in the direction of travel: older records for a
 *     first page or an {@code after_id} page, newer ones for a {@code before_id} page
 * @param <T> {@link Vault} or {@link Credential}
 */
public record Page<T>(List<T> data, String firstId, String lastId, boolean hasMore) {}
