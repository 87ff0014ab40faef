package dev.vaultengine.cli;

import dev.vaultengine.ListRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The list query options shared by {@code vaults list} and {@code credentials list}. */
final class ListOptions {
  @Option(names = "--limit", description = "Page size, 1-100 (default 20).")
  Integer limit;

  @ArgGroup(exclusive = true)
  Cursor cursor;

  /** One of the two cursors. */
  static final class Cursor {
    @Option(names = "--after-id", description = "The next older page after this id.")
    String afterId;

    @Option(names = "--before-id", description = "The next newer page before this id.")
    String beforeId;
  }

  @Option(names = "--include-archived", description = "Include archived records.")
  boolean includeArchived;

  @Option(names = "--name", description = "Case-insensitive substring of the name or URL.")
  String name;

  @Option(names = "--created-at-gte", description = "Created at or after (RFC 3339).")
  String createdAtGte;

  @Option(names = "--created-at-lte", description = "Created at or before (RFC 3339).")
  String createdAtLte;

  ListRequest toRequest() {
    return ListRequest.builder()
        .limit(limit)
        .afterId(cursor == null ? null : cursor.afterId)
        .beforeId(cursor == null ? null : cursor.beforeId)
        .includeArchived(includeArchived)
        .name(name)
        .createdAtGte(VaultCli.instant(createdAtGte, "created_at[gte]"))
        .createdAtLte(VaultCli.instant(createdAtLte, "created_at[lte]"))
        .build();
  }
}
