package dev.vaultengine.jdbc.internal;

import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialType;
import dev.vaultengine.Protocol;
import dev.vaultengine.Status;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.VaultRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

  /** A row of {@link Statements#EVENT_COLUMNS}. */
  public static EventRow event(ResultSet rs) throws SQLException {
    return new EventRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), Sql.instant(rs, 7));
  }

  /** A row of {@link Statements#AUDIT_COLUMNS}, as stored (the MAC included). */
  public static AuditRow audit(ResultSet rs) throws SQLException {
    byte[] mac = rs.getBytes(11);
    return new AuditRow(rs.getLong(1), Sql.instant(rs, 2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
        rs.getString(10), mac == null ? new byte[0] : mac);
  }

  /** A row of {@link Statements#VAULT_COLUMNS}. */
  static VaultRow vault(ResultSet rs) throws SQLException {
    return new VaultRow(rs.getString(2), rs.getString(1), rs.getString(3),
        Sql.readMetadata(rs.getString(4)), Status.fromWire(rs.getString(5)), Sql.instant(rs, 6),
        Sql.instant(rs, 7), Sql.instant(rs, 8));
  }

  /**
   * A row of {@link Statements#CREDENTIAL_COLUMNS}, read by position: by name, the drivers
   * upper-case and look up each label on every row, which was a measurable part of a resolve that
   * reads the store (docs/BENCHMARKS.md). The layout of the columns per kind is written at the top
   * of migration V2.
   */
  public static CredentialRow credential(ResultSet rs) throws SQLException {
    CredentialType type = CredentialType.fromWire(rs.getString(7));
    CredentialKind kind;
    switch (type) {
      case STATIC_BEARER -> kind = new CredentialKind.StaticBearer(rs.getString(4),
          Protocol.fromWire(rs.getString(6)));
      case MCP_OAUTH -> kind = new CredentialKind.McpOAuth(rs.getString(4),
          Protocol.fromWire(rs.getString(6)), Optional.ofNullable(Sql.instant(rs, 16)),
          KindJson.readRefresh(rs.getString(17)));
      case ENVIRONMENT_VARIABLE -> kind = KindJson.readEnvironment(rs.getString(17));
      default -> throw new IllegalStateException("unknown credential type " + type);
    }
    String metadata = rs.getString(15);
    byte[] token = rs.getBytes(13);
    EncryptedSecrets secrets = null;
    if (token != null) {
      int keyId = rs.getInt(12);
      byte[] refresh = rs.getBytes(18);
      byte[] clientSecret = rs.getBytes(19);
      secrets = new EncryptedSecrets(new EncryptedToken(keyId, token),
          refresh == null ? null : new EncryptedToken(keyId, refresh),
          clientSecret == null ? null : new EncryptedToken(keyId, clientSecret));
    }
    return new CredentialRow(rs.getString(2), rs.getString(1), rs.getString(3), rs.getString(5),
        kind, rs.getString(14), metadata == null ? Map.of() : Sql.readMetadata(metadata),
        Status.fromWire(rs.getString(8)), Sql.instant(rs, 9), Sql.instant(rs, 10),
        Sql.instant(rs, 11), secrets);
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
        .bind("urlKey", c.identityKey())
        .bind("status", c.status().wireName())
        .bind("created", Sql.micros(c.createdAt()));
    s.bindByType("hash", c.status() == Status.ACTIVE ? Sql.sha256(c.identityKey()) : null,
        String.class);
    s.bindByType("archived", c.archivedAt() == null ? null : Sql.micros(c.archivedAt()),
        Long.class);
    return bindSecrets(bindMutable(s, c), c.secrets());
  }

  /**
   * Binds what {@link Statements#UPDATE_CREDENTIAL_KEEPING_SECRETS} replaces (and the inserts
   * write too): the kind's columns, display name, metadata and updated_at; the secrets are bound
   * apart ({@link #bindSecrets}). Nullable values are bound by
   * type, null or not: a batch prepares its binders from its first row, so a NULL there and a
   * value in a later row (or the reverse) must bind alike.
   */
  public static <S extends SqlStatement<S>> S bindMutable(S s, CredentialRow c) {
    CredentialKind kind = c.kind();
    String url = kind.mcpServerUrl();
    s.bind("url", url == null ? "" : url)
        .bind("urlFolded", c.searchableKey().toLowerCase(Locale.ROOT))
        .bind("protocol", kind.protocol() == null ? "" : kind.protocol().wireName())
        .bind("type", kind.type().wireName())
        .bind("updated", Sql.micros(c.updatedAt()));
    s.bindByType("name", c.displayName(), String.class);
    s.bindByType("nameFolded",
        c.displayName() == null ? null : c.displayName().toLowerCase(Locale.ROOT), String.class);
    s.bindByType("metadata", c.metadata().isEmpty() ? null : Sql.metadata(c.metadata()),
        String.class);
    s.bindByType("details", KindJson.write(kind), String.class);
    Optional<Instant> expires = kind instanceof CredentialKind.McpOAuth o
        ? o.expiresAt() : Optional.empty();
    s.bindByType("expires", expires.map(Sql::micros).orElse(null), Long.class);
    return s;
  }

  /** Binds {@code :keyId, :token, :refresh, :clientSecret}; all NULL for null secrets. */
  public static <S extends SqlStatement<S>> S bindSecrets(S s, EncryptedSecrets secrets) {
    s.bindByType("keyId", secrets == null ? null : secrets.keyId(), Integer.class);
    s.bindByType("token", secrets == null ? null : secrets.token().ciphertext(), byte[].class);
    s.bindByType("refresh", bytes(secrets == null ? null : secrets.refreshToken()),
        byte[].class);
    s.bindByType("clientSecret", bytes(secrets == null ? null : secrets.clientSecret()),
        byte[].class);
    return s;
  }

  private static byte[] bytes(EncryptedToken t) {
    return t == null ? null : t.ciphertext();
  }
}
