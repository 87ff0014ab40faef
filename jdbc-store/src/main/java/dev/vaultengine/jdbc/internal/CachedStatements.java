package dev.vaultengine.jdbc.internal;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Jdbi's statements on SQLite, prepared once per physical connection ({@link PreparedCache})
 * instead of at every call: sqlite-jdbc compiles the SQL at every prepare, and a profile of a
 * SQLite create with {@code synchronous=NORMAL} put 23% of its time in preparing the credential's
 * INSERT (docs/BENCHMARKS.md). Jdbi's own seam for this ({@link StatementBuilder}): a statement it
 * is done with has its parameters and batch cleared instead of being closed. Statements that ask
 * for generated keys or updatable results, plain and callable statements are Jdbi's as usual.
 *
 * <p>Safe because a connection serves one thread at a time and every query of the store is read
 * to its end (lists and single rows, never a stream left open) before that connection runs the
 * same SQL again.
 */
public final class CachedStatements implements StatementBuilder {
  private final StatementBuilder plain = new DefaultStatementBuilder();
  private final PreparedCache cache = new PreparedCache();

  private CachedStatements() {}

  /** Makes {@code jdbi}'s handles prepare each statement once per physical connection. */
  public static void install(Jdbi jdbi) {
    CachedStatements builder = new CachedStatements();
    jdbi.setStatementBuilderFactory(connection -> builder);
  }

  @Override
  public Statement create(Connection conn, StatementContext ctx) throws SQLException {
    return plain.create(conn, ctx);
  }

  @Override
  public PreparedStatement create(Connection conn, String sql, StatementContext ctx)
      throws SQLException {
    if (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
      return plain.create(conn, sql, ctx);
    }
    return cache.get(conn, sql);
  }

  @Override
  public CallableStatement createCall(Connection conn, String sql, StatementContext ctx)
      throws SQLException {
    return plain.createCall(conn, sql, ctx);
  }

  @Override
  public void close(Connection conn, String sql, Statement stmt) throws SQLException {
    if (stmt instanceof PreparedStatement ps && cache.holds(conn, ps) && !ps.isClosed()) {
      ps.clearParameters();
      ps.clearBatch();
      return;
    }
    plain.close(conn, sql, stmt);
  }
}
