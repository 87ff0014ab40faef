package dev.vaultengine.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Prepared statements kept per physical connection, for SQLite: sqlite-jdbc compiles the SQL at
 * every prepare, which on the resolve read and the log's statements was most of their fixed cost
 * (and, through {@link CachedStatements}, a large part of every statement Jdbi runs).
 * The pooled connection is unwrapped to the driver's, so a statement outlives one checkout (the
 * pool would close statements prepared through its proxy). A connection serves one thread at a
 * time (the pool's), so each connection's map needs no lock of its own; entries go with their
 * connection (weak keys).
 */
final class PreparedCache {
  private final Map<Connection, Map<String, PreparedStatement>> prepared =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * The statement for {@code sql} on {@code c}'s physical connection, prepared once. The caller
   * must not close it; it clears its parameters after use.
   */
  PreparedStatement get(Connection c, String sql) throws SQLException {
    Connection real = c.unwrap(Connection.class);
    Map<String, PreparedStatement> mine = prepared.computeIfAbsent(real, k -> new HashMap<>());
    PreparedStatement ps = mine.get(sql);
    if (ps == null || ps.isClosed()) {
      ps = real.prepareStatement(sql);
      mine.put(sql, ps);
    }
    return ps;
  }

  /** Whether {@code statement} is the one this cache keeps for {@code sql} on {@code c}. */
  boolean holds(Connection c, String sql, Statement statement) throws SQLException {
    Map<String, PreparedStatement> mine = prepared.get(c.unwrap(Connection.class));
    return mine != null && mine.get(sql) == statement;
  }
}
