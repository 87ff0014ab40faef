package dev.vaultengine;

import java.time.Instant;

/**
 * Query of a list call. Every field is optional.
 *
 * @param limit page size 1-100, default 20 when null
 * @param afterId return the page of records older than this id (next page)
 * @param beforeId return the page of records newer than this id (previous page); not with
 *     {@code afterId}
 * @param includeArchived include archived records (default false)
 * @param name case-insensitive substring: of a vault's display name; of a credential's MCP server
 *     URL as written, its secret name ({@code environment_variable}) or its display name (never a
 *     secret); {@code %}, {@code _} and {@code \} match themselves
 * @param createdAtGte only records created at or after this instant
 * @param createdAtLte only records created at or before this instant
 */
public record ListRequest(
    Integer limit,
    String afterId,
    String beforeId,
    boolean includeArchived,
    String name,
    Instant createdAtGte,
    Instant createdAtLte) {

  /** The first page with every default: 20 records, archived excluded. */
  public static ListRequest firstPage() {
    return builder().build();
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder; {@link #build()} does not validate (the service does). */
  public static final class Builder {
    private Integer limit;
    private String afterId;
    private String beforeId;
    private boolean includeArchived;
    private String name;
    private Instant createdAtGte;
    private Instant createdAtLte;

    private Builder() {}

    /** Sets {@code limit}. */
    public Builder limit(Integer limit) {
      this.limit = limit;
      return this;
    }

    /** Sets {@code after_id}. */
    public Builder afterId(String id) {
      this.afterId = id;
      return this;
    }

    /** Sets {@code before_id}. */
    public Builder beforeId(String id) {
      this.beforeId = id;
      return this;
    }

    /** Sets {@code include_archived}. */
    public Builder includeArchived(boolean include) {
      this.includeArchived = include;
      return this;
    }

    /** Sets {@code name}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Sets {@code created_at[gte]}. */
    public Builder createdAtGte(Instant from) {
      this.createdAtGte = from;
      return this;
    }

    /** Sets {@code created_at[lte]}. */
    public Builder createdAtLte(Instant to) {
      this.createdAtLte = to;
      return this;
    }

    /** The request, unvalidated. */
    public ListRequest build() {
      return new ListRequest(
          limit, afterId, beforeId, includeArchived, name, createdAtGte, createdAtLte);
    }
  }
}
