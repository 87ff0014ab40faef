package dev.vaultengine.jdbc.internal;

import dev.vaultengine.VaultException;
import dev.vaultengine.spi.CredentialRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The resolve read of one vault on a SQLite file, on plain JDBC with its statement prepared once
 * per physical connection. It is the one read a resolve makes when a session cannot answer from
 * memory, and SQLite's indexed select is an in-process call of a few microseconds, so the fixed
 * cost around it (a Jdbi handle, a statement compiled at every prepare, binding by name) was most
 * of the resolve (docs/BENCHMARKS.md, issue 13).
 */
public final class SqliteResolveRead {
  private final String sql;
  private final String busyMessage;
  private final PreparedCache prepared = new PreparedCache();

  /**
   * @param prefix the store's table prefix
   * @param busyMessage what a caller is told when the database stayed locked past the wait
   */
  public SqliteResolveRead(String prefix, String busyMessage) {
    // Statements.ACTIVE_IN_VAULT with its names as positions, in their order.
    this.sql = Statements.rendered(Statements.ACTIVE_IN_VAULT, prefix)
        .replace(":vault", "?").replace(":hash", "?").replace(":account", "?");
    this.busyMessage = busyMessage;
  }

  /** The active credentials of {@code vaultId} whose URL hash is {@code hash}. */
  public List<CredentialRow> find(DataSource pool, String accountId, String vaultId, String hash) {
    try (Connection c = pool.getConnection()) {
      PreparedStatement ps = prepared.get(c, sql);
      ps.setString(1, vaultId);
      ps.setString(2, hash);
      ps.setString(3, accountId);
      List<CredentialRow> rows = new ArrayList<>(1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(Rows.credential(rs));
        }
      } finally {
        ps.clearParameters();
      }
      return rows;
    } catch (SQLException e) {
      if (Dialect.SQLITE.isBusy(e)) {
        throw VaultException.api(busyMessage, null);
      }
      throw new IllegalStateException("the resolve read failed (SQLState " + e.getSQLState()
          + ")", e);
    }
  }
}
