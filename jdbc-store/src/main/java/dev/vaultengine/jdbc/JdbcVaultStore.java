package dev.vaultengine.jdbc;

import dev.vaultengine.CredentialType;
import dev.vaultengine.Protocol;
import dev.vaultengine.Status;
import dev.vaultengine.VaultException;
import dev.vaultengine.jdbc.internal.Dialect;
import dev.vaultengine.jdbc.internal.EmbeddedDatabase;
import dev.vaultengine.jdbc.internal.Migrations;
import dev.vaultengine.jdbc.internal.Sql;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.ListQuery;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.VaultStore;
import dev.vaultengine.spi.WriteOutcome;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * A store in a relational database through Jdbi: embedded H2 by default, PostgreSQL and MariaDB for
 * hosts that share one database between processes. Every rule the engine relies on is decided by
 * the database inside one transaction or by a constraint (the one-active-credential-per-URL rule is
 * a unique index), so it holds across processes.
 *
 * <p>Open one with {@link #h2File(Path)}, {@link #h2InMemory(String)} or {@link #builder(DataSource)}
 * (pass a pooled {@code DataSource}: every call borrows a connection).
 */
public final class JdbcVaultStore implements VaultStore {
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,20}|");
  private static final int TX_ATTEMPTS = 5;

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final AutoCloseable onClose;
  /**
   * For an H2 database embedded in this JVM (null otherwise): the writer lock and change counter
   * shared by every store on it (see {@link EmbeddedDatabase}).
   */
  private final EmbeddedDatabase embedded;
  /**
   * True for the H2 factories: inserts are one autocommit statement under the embedded lock
   * instead of a transaction that locks the vault row (measured 187 against 315 microseconds per
   * create on an H2 file), and the change count is reported. A store over a caller's H2
   * {@code DataSource} keeps the transaction and reports -1, since its URL may carry settings such
   * as {@code AUTO_SERVER} that let other processes write; it still takes the embedded lock and
   * counts its writes, so it stays safe beside a factory store on the same database.
   */
  private final boolean ownsEmbedded;
  private final String vaults;
  private final String credentials;
  private final String keyset;
  private final String activeByVault;
  private final String activeByVaults;
  /** SHA-256 of URL keys already seen: the resolve path hashes the same few URLs again and again. */
  private final java.util.concurrent.ConcurrentHashMap<String, String> urlHashes =
      new java.util.concurrent.ConcurrentHashMap<>();

  private JdbcVaultStore(DataSource dataSource, String prefix, SchemaMode mode,
      AutoCloseable onClose, boolean ownsEmbedded) {
    this.jdbi = Jdbi.create(dataSource);
    this.onClose = onClose;
    this.dialect = detect(jdbi);
    this.embedded = dialect == Dialect.H2 ? EmbeddedDatabase.of(url(jdbi)) : null;
    this.ownsEmbedded = ownsEmbedded && embedded != null;
    this.vaults = prefix + "vaults";
    this.credentials = prefix + "credentials";
    this.keyset = prefix + "keyset";
    String active = "SELECT " + CREDENTIAL_COLUMNS + " FROM " + credentials + " WHERE ";
    this.activeByVault = active
        + "vault_id = :vault AND active_url_hash = :hash AND account_id = :account";
    this.activeByVaults = active
        + "vault_id IN (<vaults>) AND active_url_hash = :hash AND account_id = :account";
    if (mode == SchemaMode.VALIDATE) {
      Migrations.validate(jdbi, prefix);
    } else {
      Migrations.migrate(jdbi, dialect, prefix);
    }
  }

  private static String url(Jdbi jdbi) {
    try {
      return jdbi.withHandle(h -> h.getConnection().getMetaData().getURL());
    } catch (SQLException e) {
      throw VaultException.api("Cannot read the database's metadata: " + e.getSQLState(), null);
    }
  }

  private static Dialect detect(Jdbi jdbi) {
    try {
      return jdbi.withHandle(h -> Dialect.of(
          h.getConnection().getMetaData().getDatabaseProductName()));
    } catch (SQLException e) {
      throw VaultException.api("Cannot read the database's metadata: " + e.getSQLState(), null);
    }
  }

  /**
   * The embedded default: an H2 database in {@code directory} (file {@code vault.mv.db}), opened
   * with {@code WRITE_DELAY=0} so that a commit is written to the file before it returns. A power
   * cut can still lose the last commits (the operating system may not have flushed them). H2 2.5
   * itself has been seen to lose the last commits before a SIGKILL: in this project's raw-JDBC
   * reproduction, 1 to 5 kills in 200 under CPU load, whatever the shape of the write (see
   * docs/RELIABILITY.md). Hosts that cannot accept that should use PostgreSQL or MariaDB.
   *
   * <p>H2 locks the file to one process, so the stores this JVM opens on it are all its writers:
   * they share one writer lock and one change count (see {@code EmbeddedDatabase}), which lets a
   * session answer a repeated resolve without a query while nothing was written.
   */
  public static JdbcVaultStore h2File(Path directory) {
    String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("vault") + ";WRITE_DELAY=0";
    return h2(url);
  }

  /** A private H2 database in memory, gone when the store is closed. */
  public static JdbcVaultStore h2InMemory(String name) {
    if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw VaultException.invalidRequest(
          "Field 'name' must be 1-64 letters, digits, '-' or '_'.", "name");
    }
    return h2("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
  }

  private static JdbcVaultStore h2(String url) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
    pool.setMaxConnections(16);
    try {
      return new JdbcVaultStore(pool, "ve_", SchemaMode.MIGRATE, () -> {
        if (url.startsWith("jdbc:h2:mem:")) {
          try (var c = pool.getConnection(); var s = c.createStatement()) {
            s.execute("SHUTDOWN");
          }
        }
        pool.dispose();
      }, true);
    } catch (RuntimeException e) {
      pool.dispose();
      throw e;
    }
  }

  /** A builder over any {@code DataSource}; the database kind is detected from the connection. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Options of a store over a caller's {@code DataSource}. */
  public static final class Builder {
    private final DataSource dataSource;
    private String prefix = "ve_";
    private SchemaMode mode = SchemaMode.MIGRATE;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * The prefix of every table and index name, default {@code ve_}: up to 21 lower-case letters,
     * digits and underscores, starting with a letter, or empty.
     */
    public Builder tablePrefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** {@link SchemaMode#MIGRATE} (default) or {@link SchemaMode#VALIDATE}. */
    public Builder schemaMode(SchemaMode mode) {
      this.mode = mode;
      return this;
    }

    /**
     * Opens the store: detects the database and migrates or validates the schema. The caller keeps
     * ownership of the {@code DataSource}; closing the store does not close it.
     */
    public JdbcVaultStore build() {
      if (dataSource == null) {
        throw new IllegalStateException("A DataSource is required.");
      }
      if (prefix == null || !PREFIX.matcher(prefix).matches()) {
        throw new IllegalStateException("The table prefix must be up to 21 lower-case letters, "
            + "digits and underscores, starting with a letter (or empty).");
      }
      if (mode == null) {
        throw new IllegalStateException("The schema mode must not be null.");
      }
      return new JdbcVaultStore(dataSource, prefix, mode, () -> { }, false);
    }
  }

  /** The database this store detected. */
  public String databaseKind() {
    return dialect.name();
  }

  // ---------------------------------------------------------------- vaults

  private static final String VAULT_COLUMNS =
      "id, account_id, display_name, metadata, status, archived_at, created_at, updated_at";
  /** In the order {@link #credentialRow} reads them by position. */
  private static final String CREDENTIAL_COLUMNS = "id, account_id, vault_id, mcp_server_url, "
      + "url_key, protocol, type, status, archived_at, created_at, updated_at, token_key_id, token";

  @Override
  public WriteOutcome insertVault(VaultRow vault, List<CredentialRow> rows) {
    try {
      return tx(h -> {
        h.createUpdate("INSERT INTO " + vaults + " (id, account_id, display_name, name_folded, "
                + "metadata, status, archived_at, created_at, updated_at) VALUES (:id, :account, "
                + ":name, :folded, :metadata, :status, :archived, :created, :updated)")
            .bind("id", vault.id())
            .bind("account", vault.accountId())
            .bind("name", vault.displayName())
            .bind("folded", vault.displayName().toLowerCase(Locale.ROOT))
            .bind("metadata", Sql.metadata(vault.metadata()))
            .bind("status", vault.status().wireName())
            .bindNull("archived", Types.BIGINT)
            .bind("created", Sql.micros(vault.createdAt()))
            .bind("updated", Sql.micros(vault.updatedAt()))
            .execute();
        if (!rows.isEmpty()) {
          var batch = h.prepareBatch(insertCredentialSql());
          for (CredentialRow c : rows) {
            bindCredential(batch, c).add();
          }
          batch.execute();
        }
        return WriteOutcome.OK;
      });
    } catch (JdbiException e) {
      if (uniqueViolation(e)) {
        requireNewIds(vault.id(), rows.stream().map(CredentialRow::id).toList());
        return WriteOutcome.DUPLICATE_URL;
      }
      throw e;
    }
  }

  /** A primary-key collision is not a duplicate URL: say so instead of answering DUPLICATE_URL. */
  private void requireNewIds(String vaultId, List<String> credentialIds) {
    boolean taken = jdbi.withHandle(h -> (vaultId != null && h.createQuery("SELECT COUNT(*) FROM "
            + vaults + " WHERE id = :id").bind("id", vaultId).mapTo(Long.class).one() > 0)
        || (!credentialIds.isEmpty() && h.createQuery("SELECT COUNT(*) FROM " + credentials
            + " WHERE id IN (<ids>)").bindList("ids", credentialIds).mapTo(Long.class).one() > 0));
    if (taken) {
      throw new IllegalStateException("a record with this id already exists");
    }
  }

  @Override
  public Optional<VaultRow> findVault(String accountId, String vaultId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + VAULT_COLUMNS + " FROM " + vaults
            + " WHERE account_id = :account AND id = :id")
        .bind("account", accountId).bind("id", vaultId)
        .map((rs, ctx) -> vaultRow(rs)).findOne());
  }

  @Override
  public List<VaultRow> listVaults(String accountId, ListQuery q) {
    return jdbi.withHandle(h -> list(h, VAULT_COLUMNS, vaults, "name_folded", accountId, null, q)
        .map((rs, ctx) -> vaultRow(rs)).list());
  }

  @Override
  public WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt) {
    int n = tx(h -> h.createUpdate("UPDATE " + vaults + " SET display_name = :name, "
            + "name_folded = :folded, metadata = :metadata, updated_at = :updated "
            + "WHERE account_id = :account AND id = :id AND status = 'active' "
            + "AND updated_at = :expected")
        .bind("name", vault.displayName())
        .bind("folded", vault.displayName().toLowerCase(Locale.ROOT))
        .bind("metadata", Sql.metadata(vault.metadata()))
        .bind("updated", Sql.micros(vault.updatedAt()))
        .bind("account", vault.accountId())
        .bind("id", vault.id())
        .bind("expected", Sql.micros(expectedUpdatedAt))
        .execute());
    if (n == 1) {
      return WriteOutcome.OK;
    }
    return findVault(vault.accountId(), vault.id())
        .map(v -> v.status() == Status.ARCHIVED ? WriteOutcome.ARCHIVED : WriteOutcome.STALE)
        .orElse(WriteOutcome.NOT_FOUND);
  }

  @Override
  public WriteOutcome archiveVault(String accountId, String vaultId, Instant at) {
    return embeddedWrite(() -> tx(h -> {
      int n = h.createUpdate("UPDATE " + vaults + " SET status = 'archived', archived_at = :at, "
              + "updated_at = :at WHERE account_id = :account AND id = :id AND status = 'active'")
          .bind("at", Sql.micros(at)).bind("account", accountId).bind("id", vaultId).execute();
      if (n == 0) {
        return vaultState(h, accountId, vaultId);
      }
      h.createUpdate("UPDATE " + credentials + " SET " + archiveColumns()
              + " WHERE vault_id = :vault AND status = 'active'")
          .bind("at", Sql.micros(at)).bind("vault", vaultId).execute();
      return WriteOutcome.OK;
    }));
  }

  @Override
  public boolean deleteVault(String accountId, String vaultId) {
    // The foreign key cascades to the vault's credentials in the same statement.
    return embeddedWrite(() -> tx(h -> h.createUpdate("DELETE FROM " + vaults
            + " WHERE account_id = :account AND id = :id")
        .bind("account", accountId).bind("id", vaultId).execute() == 1));
  }

  // ---------------------------------------------------------------- credentials

  @Override
  public WriteOutcome insertCredential(CredentialRow c) {
    if (ownsEmbedded) {
      return insertCredentialEmbedded(c);
    }
    try {
      return tx(h -> {
        WriteOutcome vault = lockActiveVault(h, c.accountId(), c.vaultId());
        if (vault != WriteOutcome.OK) {
          return vault;
        }
        bindCredential(h.createUpdate(insertCredentialSql()), c).execute();
        return WriteOutcome.OK;
      });
    } catch (JdbiException e) {
      if (uniqueViolation(e)) {
        requireNewIds(null, List.of(c.id()));
        return WriteOutcome.DUPLICATE_URL;
      }
      throw e;
    }
  }

  /**
   * One autocommit {@code INSERT ... SELECT} that writes the row only while the vault is active,
   * under the embedded lock so that no archive or delete of the vault runs meanwhile.
   */
  private WriteOutcome insertCredentialEmbedded(CredentialRow c) {
    try {
      return embeddedWrite(() -> {
        int inserted = retrying(() -> jdbi.withHandle(h -> bindCredential(h.createUpdate(
            insertCredentialIfVaultActiveSql()), c).execute()));
        return inserted == 1
            ? WriteOutcome.OK : jdbi.withHandle(h -> vaultState(h, c.accountId(), c.vaultId()));
      });
    } catch (JdbiException e) {
      if (uniqueViolation(e)) {
        requireNewIds(null, List.of(c.id()));
        return WriteOutcome.DUPLICATE_URL;
      }
      throw e;
    }
  }

  @Override
  public Optional<CredentialRow> findCredential(String accountId, String vaultId, String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + CREDENTIAL_COLUMNS + " FROM "
            + credentials + " WHERE account_id = :account AND vault_id = :vault AND id = :id")
        .bind("account", accountId).bind("vault", vaultId).bind("id", id)
        .map((rs, ctx) -> credentialRow(rs)).findOne());
  }

  @Override
  public List<CredentialRow> listCredentials(String accountId, String vaultId, ListQuery q) {
    return jdbi.withHandle(h -> list(h, CREDENTIAL_COLUMNS, credentials, "url_folded", accountId,
        vaultId, q).map((rs, ctx) -> credentialRow(rs)).list());
  }

  @Override
  public WriteOutcome archiveCredential(String accountId, String vaultId, String id, Instant at) {
    return tx(h -> {
      int n = h.createUpdate("UPDATE " + credentials + " SET " + archiveColumns()
              + " WHERE account_id = :account AND vault_id = :vault AND id = :id "
              + "AND status = 'active'")
          .bind("at", Sql.micros(at)).bind("account", accountId).bind("vault", vaultId)
          .bind("id", id).execute();
      return n == 1 ? WriteOutcome.OK : credentialState(h, accountId, vaultId, id);
    });
  }

  @Override
  public boolean deleteCredential(String accountId, String vaultId, String id) {
    return tx(h -> h.createUpdate("DELETE FROM " + credentials + " WHERE account_id = :account "
            + "AND vault_id = :vault AND id = :id")
        .bind("account", accountId).bind("vault", vaultId).bind("id", id).execute() == 1);
  }

  @Override
  public WriteOutcome rotateCredential(String accountId, String vaultId, String id, Instant at,
      CredentialRow replacement) {
    try {
      return tx(h -> {
        WriteOutcome vault = lockActiveVault(h, accountId, vaultId);
        if (vault == WriteOutcome.NOT_FOUND) {
          return vault;
        }
        int n = h.createUpdate("UPDATE " + credentials + " SET " + archiveColumns()
                + " WHERE account_id = :account AND vault_id = :vault AND id = :id "
                + "AND status = 'active'")
            .bind("at", Sql.micros(at)).bind("account", accountId).bind("vault", vaultId)
            .bind("id", id).execute();
        if (n == 0) {
          return credentialState(h, accountId, vaultId, id);
        }
        bindCredential(h.createUpdate(insertCredentialSql()), replacement).execute();
        return WriteOutcome.OK;
      });
    } catch (JdbiException e) {
      if (uniqueViolation(e)) {
        requireNewIds(null, List.of(replacement.id()));
        return WriteOutcome.DUPLICATE_URL;
      }
      throw e;
    }
  }

  @Override
  public List<CredentialRow> findActiveCredentials(String accountId, List<String> vaultIds,
      String urlKey) {
    if (vaultIds.isEmpty()) {
      return List.of();
    }
    // One statement for the whole session: the unique (vault_id, active_url_hash) index serves
    // each vault of the IN list; a one-vault session gets a plain equality, which every database
    // plans and caches best. The full url_key is compared after, hash or no hash.
    String hash = urlHashes.computeIfAbsent(urlKey, Sql::sha256);
    if (urlHashes.size() > 10_000) {
      urlHashes.clear();
    }
    return jdbi.withHandle(h -> {
      var query = vaultIds.size() == 1
          ? h.createQuery(activeByVault).bind("vault", vaultIds.get(0))
          : h.createQuery(activeByVaults).bindList("vaults", vaultIds);
      return query.bind("hash", hash).bind("account", accountId)
          .map((rs, ctx) -> credentialRow(rs)).list();
    }).stream().filter(c -> c.urlKey().equals(urlKey)).toList();
  }

  // ---------------------------------------------------------------- keys

  @Override
  public Optional<byte[]> loadKeyset() {
    return jdbi.withHandle(h -> h.createQuery("SELECT wrapped FROM " + keyset + " WHERE id = 1")
        .map((rs, ctx) -> rs.getBytes(1)).findOne());
  }

  @Override
  public boolean replaceKeyset(byte[] expected, byte[] replacement) {
    try {
      return tx(h -> {
        if (expected == null) {
          h.createUpdate("INSERT INTO " + keyset + " (id, wrapped, digest) VALUES (1, :w, :d)")
              .bind("w", replacement).bind("d", Sql.sha256(replacement)).execute();
          return true;
        }
        return h.createUpdate("UPDATE " + keyset + " SET wrapped = :w, digest = :d "
                + "WHERE id = 1 AND digest = :old")
            .bind("w", replacement).bind("d", Sql.sha256(replacement))
            .bind("old", Sql.sha256(expected)).execute() == 1;
      });
    } catch (JdbiException e) {
      if (uniqueViolation(e)) {
        return false; // another process stored the first keyset
      }
      throw e;
    }
  }

  @Override
  public List<CredentialRow> findTokensOnKey(int keyId, String afterId, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + CREDENTIAL_COLUMNS + " FROM "
            + credentials + " WHERE token_key_id = :key"
            + (afterId == null ? "" : " AND id > :after") + " ORDER BY token_key_id, id LIMIT :limit")
        .bind("key", keyId).bind("after", afterId).bind("limit", limit)
        .map((rs, ctx) -> credentialRow(rs)).list());
  }

  @Override
  public long countTokensNotOnKey(int keyId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + credentials
            + " WHERE token_key_id IS NOT NULL AND token_key_id <> :key")
        .bind("key", keyId).mapTo(Long.class).one());
  }

  @Override
  public boolean replaceToken(String accountId, String credentialId, EncryptedToken expected,
      EncryptedToken replacement) {
    return tx(h -> {
      byte[] current = h.createQuery("SELECT token FROM " + credentials + " WHERE account_id = "
              + ":account AND id = :id AND token_key_id = :key FOR UPDATE")
          .bind("account", accountId).bind("id", credentialId).bind("key", expected.keyId())
          .map((rs, ctx) -> rs.getBytes(1)).findOne().orElse(null);
      if (current == null || !java.util.Arrays.equals(current, expected.ciphertext())) {
        return false;
      }
      return h.createUpdate("UPDATE " + credentials + " SET token = :token, token_key_id = :key "
              + "WHERE account_id = :account AND id = :id")
          .bind("token", replacement.ciphertext()).bind("key", replacement.keyId())
          .bind("account", accountId).bind("id", credentialId).execute() == 1;
    });
  }

  /**
   * The change count of an H2 database this JVM embeds, opened by a factory; -1 otherwise (another
   * process may write a server database).
   */
  @Override
  public long changeCount() {
    return ownsEmbedded ? embedded.changes() : -1;
  }

  @Override
  public void close() {
    try {
      onClose.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the database failed", e);
    }
  }

  // ---------------------------------------------------------------- internals

  private <T> T tx(HandleCallback<T, RuntimeException> callback) {
    return retrying(() -> jdbi.inTransaction(callback));
  }

  /** Every write goes through here: it retries lost deadlocks and counts the change. */
  private <T> T retrying(Supplier<T> work) {
    try {
      return retryLostDeadlocks(work);
    } finally {
      if (embedded != null) {
        embedded.changed();
      }
    }
  }

  private <T> T retryLostDeadlocks(Supplier<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.get();
      } catch (JdbiException e) {
        SQLException sql = Sql.cause(e);
        if (attempt < TX_ATTEMPTS && sql != null && dialect.isRetryable(sql)) {
          continue; // lost a deadlock: nothing was written, run it again
        }
        throw e;
      }
    }
  }

  /** Runs {@code work} under the embedded lock, if this store is on an embedded database. */
  private <T> T embeddedWrite(Supplier<T> work) {
    if (embedded == null) {
      return work.get();
    }
    embedded.writers().lock();
    try {
      return work.get();
    } finally {
      embedded.writers().unlock();
    }
  }

  private boolean uniqueViolation(JdbiException e) {
    SQLException sql = Sql.cause(e);
    return sql != null && dialect.isUniqueViolation(sql);
  }

  /** Locks the vault row so no archive can slip between our check and our insert. */
  private WriteOutcome lockActiveVault(Handle h, String accountId, String vaultId) {
    return h.createQuery("SELECT status FROM " + vaults + " WHERE account_id = :account "
            + "AND id = :id FOR UPDATE")
        .bind("account", accountId).bind("id", vaultId).mapTo(String.class).findOne()
        .map(s -> Status.fromWire(s) == Status.ACTIVE ? WriteOutcome.OK : WriteOutcome.ARCHIVED)
        .orElse(WriteOutcome.NOT_FOUND);
  }

  private WriteOutcome vaultState(Handle h, String accountId, String vaultId) {
    return h.createQuery("SELECT status FROM " + vaults + " WHERE account_id = :account "
            + "AND id = :id")
        .bind("account", accountId).bind("id", vaultId).mapTo(String.class).findOne()
        .map(s -> WriteOutcome.ARCHIVED).orElse(WriteOutcome.NOT_FOUND);
  }

  private WriteOutcome credentialState(Handle h, String accountId, String vaultId, String id) {
    return h.createQuery("SELECT status FROM " + credentials + " WHERE account_id = :account "
            + "AND vault_id = :vault AND id = :id")
        .bind("account", accountId).bind("vault", vaultId).bind("id", id)
        .mapTo(String.class).findOne()
        .map(s -> WriteOutcome.ARCHIVED).orElse(WriteOutcome.NOT_FOUND);
  }

  private static String archiveColumns() {
    return "status = 'archived', archived_at = :at, updated_at = :at, active_url_hash = NULL, "
        + "token = NULL, token_key_id = NULL";
  }

  private static final String INSERT_CREDENTIAL_COLUMNS = " (id, account_id, vault_id, "
      + "mcp_server_url, url_key, url_folded, active_url_hash, protocol, type, status, archived_at, "
      + "created_at, updated_at, token_key_id, token) ";
  private static final String CREDENTIAL_VALUES = ":id, :account, :vault, :url, :urlKey, "
      + ":urlFolded, :hash, :protocol, :type, :status, :archived, :created, :updated, :keyId, :token";

  private String insertCredentialSql() {
    return "INSERT INTO " + credentials + INSERT_CREDENTIAL_COLUMNS
        + "VALUES (" + CREDENTIAL_VALUES + ")";
  }

  private String insertCredentialIfVaultActiveSql() {
    return "INSERT INTO " + credentials + INSERT_CREDENTIAL_COLUMNS + "SELECT " + CREDENTIAL_VALUES
        + " FROM " + vaults + " WHERE account_id = :account AND id = :vault AND status = 'active'";
  }

  private static <S extends SqlStatement<S>> S bindCredential(S s, CredentialRow c) {
    boolean active = c.status() == Status.ACTIVE;
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
    if (active) {
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

  private static org.jdbi.v3.core.statement.Query list(Handle h, String columns, String table,
      String nameColumn, String accountId, String vaultId, ListQuery q) {
    StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ")
        .append(table).append(" WHERE account_id = :account");
    if (vaultId != null) {
      sql.append(" AND vault_id = :vault");
    }
    if (q.afterId() != null) {
      sql.append(" AND id < :after");
    }
    if (q.beforeId() != null) {
      sql.append(" AND id > :before");
    }
    if (!q.includeArchived()) {
      sql.append(" AND status = 'active'");
    }
    if (q.nameFolded() != null) {
      sql.append(" AND ").append(nameColumn).append(" LIKE :name ESCAPE '!'");
    }
    if (q.createdAtGte() != null) {
      sql.append(" AND created_at >= :gte");
    }
    if (q.createdAtLte() != null) {
      sql.append(" AND created_at <= :lte");
    }
    // Name the index's equality column in ORDER BY too: H2 recognizes the (account_id, id) and
    // (vault_id, id) indexes as sorted only then, and otherwise reads and sorts every older row
    // (measured: 22 rows scanned instead of 100,001 for a page at depth 100,000).
    String direction = q.ascending() ? " ASC" : " DESC";
    sql.append(" ORDER BY ").append(vaultId != null ? "vault_id" : "account_id").append(direction)
        .append(", id").append(direction).append(" LIMIT :limit");
    var query = h.createQuery(sql.toString()).bind("account", accountId)
        .bind("limit", q.fetchSize());
    if (vaultId != null) {
      query.bind("vault", vaultId);
    }
    if (q.afterId() != null) {
      query.bind("after", q.afterId());
    }
    if (q.beforeId() != null) {
      query.bind("before", q.beforeId());
    }
    if (q.nameFolded() != null) {
      query.bind("name", "%" + Sql.likeLiteral(q.nameFolded()) + "%");
    }
    if (q.createdAtGte() != null) {
      query.bind("gte", Sql.micros(q.createdAtGte()));
    }
    if (q.createdAtLte() != null) {
      query.bind("lte", Sql.micros(q.createdAtLte()));
    }
    return query;
  }

  private static VaultRow vaultRow(ResultSet rs) throws SQLException {
    return new VaultRow(rs.getString("account_id"), rs.getString("id"),
        rs.getString("display_name"), Sql.readMetadata(rs.getString("metadata")),
        Status.fromWire(rs.getString("status")), Sql.instant(rs, "archived_at"),
        Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
  }

  /**
   * A row of a query that selects {@link #CREDENTIAL_COLUMNS} first, read by position: by name, the
   * drivers upper-case and look up each of the 13 labels on every row, which was a measurable part
   * of a resolve that reads the store (docs/BENCHMARKS.md).
   */
  private static CredentialRow credentialRow(ResultSet rs) throws SQLException {
    byte[] token = rs.getBytes(13);
    int keyId = rs.getInt(12);
    return new CredentialRow(rs.getString(2), rs.getString(1), rs.getString(3), rs.getString(4),
        rs.getString(5), Protocol.fromWire(rs.getString(6)), CredentialType.fromWire(rs.getString(7)),
        Status.fromWire(rs.getString(8)), Sql.instant(rs, 9), Sql.instant(rs, 10),
        Sql.instant(rs, 11), token == null ? null : new EncryptedToken(keyId, token));
  }
}
