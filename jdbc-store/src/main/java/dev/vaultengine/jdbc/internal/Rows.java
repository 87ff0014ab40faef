package dev.vaultengine.jdbc.internal;

import dev.vaultengine.CredentialType;
import dev.vaultengine.Protocol;
import dev.vaultengine.Status;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.VaultRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/** Rows to values and values to bindings, registered once per store. */
public final class Rows {
  private Rows() {}

  /** Registers the row mappers of {@link VaultRow} and {@link CredentialRow} on {@code jdbi}. */
  public static void register(Jdbi jdbi) {
    jdbi.registerRowMapper(VaultRow.class, (rs, ctx) -> vault(rs));
    jdbi.registerRowMapper(CredentialRow.class, (rs, ctx) -> credential(rs));
  }

  /** A row of {@link Statements#VAULT_COLUMNS}. */
  static VaultRow vault(ResultSet rs) throws SQLException {
    return new VaultRow(rs.getString(2), rs.getString(1), rs.getString(3),
        Sql.readMetadata(rs.getString(4)), Status.fromWire(rs.getString(5)), Sql.instant(rs, 6),
        Sql.instant(rs, 7), Sql.instant(rs, 8));
  }

  /**
   * A row of {@link Statements#CREDENTIAL_COLUMNS}, read by position: by name, the drivers
   * upper-case and look up each of the 13 labels on every row, which was a measurable part of a
   * resolve that reads the store (docs/BENCHMARKS.md).
   */
  public static CredentialRow credential(ResultSet rs) throws SQLException {
    byte[] token = rs.getBytes(13);
    int keyId = rs.getInt(12);
    return new CredentialRow(rs.getString(2), rs.getString(1), rs.getString(3), rs.getString(4),
        rs.getString(5), Protocol.fromWire(rs.getString(6)), CredentialType.fromWire(rs.getString(7)),
        Status.fromWire(rs.getString(8)), Sql.instant(rs, 9), Sql.instant(rs, 10),
        Sql.instant(rs, 11), token == null ? null : new EncryptedToken(keyId, token));
  }

  /** Binds a vault's columns for {@link Statements#INSERT_VAULT}. */
  public static <S extends SqlStatement<S>> S bindVault(S s, VaultRow v) {
    s.bind("id", v.id())
        .bind("account", v.accountId())
        .bind("name", v.displayName())
        .bind("folded", v.displayName().toLowerCase(Locale.ROOT))
        .bind("metadata", Sql.metadata(v.metadata()))
        .bind("status", v.status().wireName())
        .bind("created", Sql.micros(v.createdAt()))
        .bind("updated", Sql.micros(v.updatedAt()));
    return v.archivedAt() == null ? s.bindNull("archived", Types.BIGINT)
        : s.bind("archived", Sql.micros(v.archivedAt()));
  }

  /** Binds a credential's columns for the credential inserts of {@link Statements}. */
  public static <S extends SqlStatement<S>> S bindCredential(S s, CredentialRow c) {
    s.bind("id", c.id())
        .bind("account", c.accountId())
        .bind("vault", c.vaultId())
        .bind("url", c.mcpServerUrl())
        .bind("urlKey", c.urlKey())
        .bind("urlFolded", c.mcpServerUrl().toLowerCase(Locale.ROOT))
        .bind("protocol", c.protocol().wireName())
        .bind("type", c.type().wireName())
        .bind("status", c.status().wireName())
        .bind("created", Sql.micros(c.createdAt()))
        .bind("updated", Sql.micros(c.updatedAt()));
    if (c.status() == Status.ACTIVE) {
      s.bind("hash", Sql.sha256(c.urlKey()));
    } else {
      s.bindNull("hash", Types.CHAR);
    }
    if (c.archivedAt() == null) {
      s.bindNull("archived", Types.BIGINT);
    } else {
      s.bind("archived", Sql.micros(c.archivedAt()));
    }
    if (c.token() == null) {
      s.bindNull("keyId", Types.INTEGER).bindNull("token", Types.VARBINARY);
    } else {
      s.bind("keyId", c.token().keyId()).bind("token", c.token().ciphertext());
    }
    return s;
  }
}
