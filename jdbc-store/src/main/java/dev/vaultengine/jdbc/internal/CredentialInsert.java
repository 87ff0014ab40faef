package dev.vaultengine.jdbc.internal;

import dev.vaultengine.spi.CredentialRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The embedded databases' credential insert, on plain JDBC: the create's one statement, which
 * writes the row only while its vault is active, and the read of why it wrote nothing. Bound by
 * position instead of through Jdbi's named arguments: their per-argument lookup and binding took
 * 14% of the samples of a JFR profile of SQLite creates in session 9, for 24 arguments at every
 * create. On SQLite the insert is prepared once per connection ({@link PreparedCache}).
 */
public final class CredentialInsert {
  private final String sql;
  private final String vaultStatus;
  /** SQLite's prepared statements per connection; null on H2, whose driver caches its own. */
  private final PreparedCache prepared;

  /** The insert into the tables named with {@code prefix}, on {@code dialect}. */
  public CredentialInsert(String prefix, Dialect dialect) {
    this.sql = Statements.rendered(Statements.INSERT_CREDENTIAL_IF_VAULT_ACTIVE, prefix);
    this.vaultStatus = Statements.rendered(Statements.VAULT_STATUS_POSITIONAL, prefix);
    this.prepared = dialect == Dialect.SQLITE ? new PreparedCache() : null;
  }

  /**
   * Inserts {@code c} on {@code connection} (in its transaction, if one is open) if its vault is
   * active in its account.
   *
   * @return 1 when the row was written, 0 when the vault is not an active vault of the account
   */
  public int ifVaultActive(Connection connection, CredentialRow c) throws SQLException {
    try (PreparedCache.Lease st = PreparedCache.lease(prepared, connection, sql)) {
      PreparedStatement ps = st.ps();
      Rows.bindCredential(ps, 1, c);
      ps.setString(Rows.CREDENTIAL_PARAMETER_COUNT + 1, c.accountId());
      ps.setString(Rows.CREDENTIAL_PARAMETER_COUNT + 2, c.vaultId());
      return ps.executeUpdate();
    }
  }

  /**
   * Whether the account holds the vault at all, on {@code connection}: why an insert of
   * {@link #ifVaultActive} wrote nothing (the vault is archived when it exists, else it is not
   * found). Not cached: it runs only when a create is refused.
   */
  public boolean vaultExists(Connection connection, String accountId, String vaultId)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(vaultStatus)) {
      ps.setString(1, accountId);
      ps.setString(2, vaultId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
