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
 * The resolve read of one vault on an embedded database (a SQLite file, H2), on plain JDBC; on
 * SQLite its statement is prepared once per physical connection ({@link PreparedCache}), on H2 at
 * every call (H2 keeps parsed statements per session itself, and its pool hands out a new
 * connection handle at every checkout, so a cache keyed by connection would never hit). It is the one read a resolve makes when a
 * session cannot answer from memory, and an embedded indexed select is an in-process call of a
 * few microseconds, so the fixed cost around it (a Jdbi handle, a statement compiled at every
 * prepare, binding by name) was most of the resolve (docs/BENCHMARKS.md, issue 13). On a database
 * server the round trip dwarfs that cost, and the store reads through Jdbi.
 */
public final class EmbeddedResolveRead {
  private final Dialect dialect;
  private final String sql;
  private final String busyMessage;
  private final PreparedCache prepared = new PreparedCache();

  /**
   * @param dialect the embedded database ({@link Dialect#SQLITE} or {@link Dialect#H2})
   * @param prefix the store's table prefix
   * @param busyMessage what a caller is told when the database stayed locked past the wait
   */
  public EmbeddedResolveRead(Dialect dialect, String prefix, String busyMessage) {
    if (dialect != Dialect.SQLITE && dialect != Dialect.H2) {
      throw new IllegalArgumentException("an embedded database was expected, not " + dialect);
    }
    this.dialect = dialect;
    // Statements.ACTIVE_IN_VAULT with its names as positions, in their order.
    this.sql = Statements.rendered(Statements.ACTIVE_IN_VAULT, prefix)
        .replace(":vault", "?").replace(":hash", "?").replace(":account", "?");
    this.busyMessage = busyMessage;
  }

  /** The active credentials of {@code vaultId} whose URL hash is {@code hash}. */
  public List<CredentialRow> find(DataSource pool, String accountId, String vaultId, String hash) {
    try (Connection c = pool.getConnection()) {
      if (dialect == Dialect.H2) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          return read(ps, accountId, vaultId, hash);
        }
      }
      PreparedStatement ps = prepared.get(c, sql);
      try {
        return read(ps, accountId, vaultId, hash);
      } finally {
        ps.clearParameters();
      }
    } catch (SQLException e) {
      if (dialect.isBusy(e)) {
        throw VaultException.api(busyMessage, null);
      }
      throw new IllegalStateException("the resolve read failed (SQLState " + e.getSQLState()
          + ")", e);
    }
  }

  private static List<CredentialRow> read(PreparedStatement ps, String accountId, String vaultId,
      String hash) throws SQLException {
    ps.setString(1, vaultId);
    ps.setString(2, hash);
    ps.setString(3, accountId);
    List<CredentialRow> rows = new ArrayList<>(1);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(Rows.credential(rs));
      }
    }
    return rows;
  }
}
