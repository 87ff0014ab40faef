package dev.vaultengine.jdbc.internal;

import dev.vaultengine.spi.ListQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The conditions, order and limit of one list page, as an SQL fragment and the values it binds,
 * built together so that no condition can lose its binding.
 *
 * @param sql what follows the statement's own {@code WHERE} conditions
 * @param bindings the named values {@code sql} refers to
 */
public record ListFilter(String sql, Map<String, Object> bindings) {

  /**
   * The filter of {@code q} over a table whose index is {@code (equalityColumn, id)}; the name
   * filter matches when any of the folded {@code nameColumns} contains it (a NULL column never
   * matches).
   */
  public static ListFilter of(ListQuery q, String equalityColumn, String... nameColumns) {
    StringBuilder sql = new StringBuilder();
    Map<String, Object> bindings = new LinkedHashMap<>();
    if (q.afterId() != null) {
      sql.append(" AND id < :after");
      bindings.put("after", q.afterId());
    }
    if (q.beforeId() != null) {
      sql.append(" AND id > :before");
      bindings.put("before", q.beforeId());
    }
    if (!q.includeArchived()) {
      sql.append(" AND status = 'active'");
    }
    if (q.nameFolded() != null) {
      sql.append(" AND (");
      for (int i = 0; i < nameColumns.length; i++) {
        sql.append(i == 0 ? "" : " OR ").append(nameColumns[i]).append(" LIKE :name ESCAPE '!'");
      }
      sql.append(')');
      bindings.put("name", "%" + Sql.likeLiteral(q.nameFolded()) + "%");
    }
    if (q.createdAtGte() != null) {
      sql.append(" AND created_at >= :gte");
      bindings.put("gte", microsAtOrAfter(q.createdAtGte()));
    }
    if (q.createdAtLte() != null) {
      sql.append(" AND created_at <= :lte");
      bindings.put("lte", Sql.micros(q.createdAtLte()));
    }
    // Name the index's equality column in ORDER BY too: H2 recognizes the (account_id, id) and
    // (vault_id, id) indexes as sorted only then, and otherwise reads and sorts every older row
    // (measured: 22 rows scanned instead of 100,001 for a page at depth 100,000).
    String direction = q.ascending() ? " ASC" : " DESC";
    sql.append(" ORDER BY ").append(equalityColumn).append(direction).append(", id")
        .append(direction).append(" LIMIT :limit");
    bindings.put("limit", q.fetchSize());
    return new ListFilter(sql.toString(), bindings);
  }

  /**
   * The first whole microsecond at or after {@code t}. Times are stored in microseconds, so a
   * lower bound between two of them must round up: "created at or after 10:00:00.0000051" excludes
   * a record of 10:00:00.000005, as the in-memory store, which compares instants, does.
   */
  static long microsAtOrAfter(Instant t) {
    long floor = Sql.micros(t);
    return t.getNano() % 1000 == 0 ? floor : floor + 1;
  }
}
