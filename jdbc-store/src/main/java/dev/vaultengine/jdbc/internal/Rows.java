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
import java.sql.PreparedStatement;
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

  /**
   * The parameters of a credential's columns, in the order of the credential inserts of
   * {@link Statements} (their named and their positional forms), with the Java type each binds
   * as: a NULL binds as its column's type, so a batch whose first row holds a NULL and a later row
   * a value (or the reverse) binds alike.
   */
  private static final String[] CREDENTIAL_PARAMETERS = {"id", "account", "vault", "url",
      "urlKey", "urlFolded", "hash", "protocol", "type", "status", "archived", "created", "updated",
      "keyId", "token", "name", "nameFolded", "metadata", "expires", "details", "refresh",
      "clientSecret"};
  private static final Class<?>[] CREDENTIAL_TYPES = {String.class, String.class, String.class,
      String.class, String.class, String.class, String.class, String.class, String.class,
      String.class, Long.class, Long.class, Long.class, Integer.class, byte[].class, String.class,
      String.class, String.class, Long.class, String.class, byte[].class, byte[].class};
  private static final int[] CREDENTIAL_SQL_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
      Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
      Types.VARCHAR, Types.BIGINT, Types.BIGINT, Types.BIGINT, Types.INTEGER, Types.VARBINARY,
      Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.BIGINT, Types.VARCHAR, Types.VARBINARY,
      Types.VARBINARY};
  /** Indexes into the values: what an update may replace, and the secrets. */
  private static final int[] MUTABLE = {3, 5, 7, 8, 12, 15, 16, 17, 18, 19};
  private static final int[] SECRETS = {13, 14, 20, 21};

  /** How many parameters a credential's columns take. */
  public static final int CREDENTIAL_PARAMETER_COUNT = CREDENTIAL_PARAMETERS.length;

  /** A credential's column values, in the order of {@link #CREDENTIAL_PARAMETERS}. */
  private static Object[] credentialValues(CredentialRow c) {
    Object[] v = new Object[CREDENTIAL_PARAMETERS.length];
    v[0] = c.id();
    v[1] = c.accountId();
    v[2] = c.vaultId();
    v[4] = c.identityKey();
    v[6] = c.status() == Status.ACTIVE ? Sql.sha256(c.identityKey()) : null;
    v[9] = c.status().wireName();
    v[10] = c.archivedAt() == null ? null : Sql.micros(c.archivedAt());
    v[11] = Sql.micros(c.createdAt());
    mutableValues(v, c);
    secretValues(v, c.secrets());
    return v;
  }

  private static void mutableValues(Object[] v, CredentialRow c) {
    CredentialKind kind = c.kind();
    String url = kind.mcpServerUrl();
    v[3] = url == null ? "" : url;
    v[5] = c.searchableKey().toLowerCase(Locale.ROOT);
    v[7] = kind.protocol() == null ? "" : kind.protocol().wireName();
    v[8] = kind.type().wireName();
    v[12] = Sql.micros(c.updatedAt());
    v[15] = c.displayName();
    v[16] = c.displayName() == null ? null : c.displayName().toLowerCase(Locale.ROOT);
    v[17] = c.metadata().isEmpty() ? null : Sql.metadata(c.metadata());
    Optional<Instant> expires = kind instanceof CredentialKind.McpOAuth o
        ? o.expiresAt() : Optional.empty();
    v[18] = expires.map(Sql::micros).orElse(null);
    v[19] = KindJson.write(kind);
  }

  private static void secretValues(Object[] v, EncryptedSecrets secrets) {
    v[13] = secrets == null ? null : secrets.keyId();
    v[14] = secrets == null ? null : secrets.token().ciphertext();
    v[20] = bytes(secrets == null ? null : secrets.refreshToken());
    v[21] = bytes(secrets == null ? null : secrets.clientSecret());
  }

  private static <S extends SqlStatement<S>> S bind(S s, Object[] v, int[] indexes) {
    for (int i : indexes) {
      s.bindByType(CREDENTIAL_PARAMETERS[i], v[i], CREDENTIAL_TYPES[i]);
    }
    return s;
  }

  /** Binds a credential's columns for the credential inserts of {@link Statements}. */
  public static <S extends SqlStatement<S>> S bindCredential(S s, CredentialRow c) {
    Object[] v = credentialValues(c);
    for (int i = 0; i < v.length; i++) {
      s.bindByType(CREDENTIAL_PARAMETERS[i], v[i], CREDENTIAL_TYPES[i]);
    }
    return s;
  }

  /**
   * Binds a credential's columns to {@code ps}'s parameters {@code first} to
   * {@code first + CREDENTIAL_PARAMETER_COUNT - 1}, in the order of the named form: the same
   * values as {@link #bindCredential(SqlStatement, CredentialRow)}, on plain JDBC.
   */
  public static void bindCredential(PreparedStatement ps, int first, CredentialRow c)
      throws SQLException {
    Object[] v = credentialValues(c);
    for (int i = 0; i < v.length; i++) {
      int at = first + i;
      Object value = v[i];
      if (value == null) {
        ps.setNull(at, CREDENTIAL_SQL_TYPES[i]);
      } else if (value instanceof String text) {
        ps.setString(at, text);
      } else if (value instanceof Long n) {
        ps.setLong(at, n);
      } else if (value instanceof Integer n) {
        ps.setInt(at, n);
      } else if (value instanceof byte[] bytes) {
        ps.setBytes(at, bytes);
      } else {
        throw new IllegalStateException("no binding for a " + value.getClass().getSimpleName());
      }
    }
  }

  /**
   * Binds what {@link Statements#UPDATE_CREDENTIAL_KEEPING_SECRETS} replaces (and the inserts
   * write too): the kind's columns, display name, metadata and updated_at; the secrets are bound
   * apart ({@link #bindSecrets}).
   */
  public static <S extends SqlStatement<S>> S bindMutable(S s, CredentialRow c) {
    Object[] v = new Object[CREDENTIAL_PARAMETERS.length];
    mutableValues(v, c);
    return bind(s, v, MUTABLE);
  }

  /** Binds {@code :keyId, :token, :refresh, :clientSecret}; all NULL for null secrets. */
  public static <S extends SqlStatement<S>> S bindSecrets(S s, EncryptedSecrets secrets) {
    Object[] v = new Object[CREDENTIAL_PARAMETERS.length];
    secretValues(v, secrets);
    return bind(s, v, SECRETS);
  }

  private static byte[] bytes(EncryptedToken t) {
    return t == null ? null : t.ciphertext();
  }
}
