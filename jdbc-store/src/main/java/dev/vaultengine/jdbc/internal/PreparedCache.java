package dev.vaultengine.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Prepared statements kept per physical connection, for SQLite: sqlite-jdbc compiles the SQL at
 * every prepare, which on the resolve read and the log's statements was most of their fixed cost
 * (and, through {@link CachedStatements}, a large part of every statement Jdbi runs).
 * The pooled connection is unwrapped to the driver's, so a statement outlives one checkout (the
 * pool would close statements prepared through its proxy). A connection serves one thread at a
 * time (the pool's), so each connection's map needs no lock of its own; entries go with their
 * connection (weak keys).
 *
 * <p>A statement is known as this cache's by identity, not by its SQL: Jdbi hands the statement
 * builder the SQL it parsed ({@code ?} placeholders, table prefix filled in) when it asks for a
 * statement but the SQL as written ({@code :name} parameters, {@code <prefix>}) when it is done
 * with it, so a lookup by SQL at that point missed every templated statement, closed it, and the
 * next call prepared it again: until session 9 the cache kept almost nothing.
 */
final class PreparedCache {
  /** One connection's statements: by SQL to find them, and by identity to recognise them. */
  private static final class Prepared {
    final Map<String, PreparedStatement> bySql = new HashMap<>();
    final Set<PreparedStatement> kept = Collections.newSetFromMap(new IdentityHashMap<>());
  }

  private final Map<Connection, Prepared> prepared =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * The statement for {@code sql} on {@code c}'s physical connection, prepared once. The caller
   * must not close it; it clears its parameters after use.
   */
  PreparedStatement get(Connection c, String sql) throws SQLException {
    Connection real = c.unwrap(Connection.class);
    Prepared mine = prepared.computeIfAbsent(real, k -> new Prepared());
    PreparedStatement ps = mine.bySql.get(sql);
    if (ps == null || ps.isClosed()) {
      if (ps != null) {
        mine.kept.remove(ps);
      }
      ps = real.prepareStatement(sql);
      mine.bySql.put(sql, ps);
      mine.kept.add(ps);
    }
    return ps;
  }

  /** Whether {@code statement} is one this cache keeps on {@code c}'s physical connection. */
  boolean holds(Connection c, Statement statement) throws SQLException {
    Prepared mine = prepared.get(c.unwrap(Connection.class));
    return mine != null && mine.kept.contains(statement);
  }

  /** A statement to run: a cached one is kept open (its parameters cleared), another closed. */
  record Lease(PreparedStatement ps, boolean owned) implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      if (owned) {
        ps.close();
      } else {
        ps.clearParameters();
      }
    }
  }

  /** {@code sql} on {@code c}: from {@code cache} when there is one, else prepared for one use. */
  static Lease lease(PreparedCache cache, Connection c, String sql) throws SQLException {
    return cache == null ? new Lease(c.prepareStatement(sql), true)
        : new Lease(cache.get(c, sql), false);
  }
}
