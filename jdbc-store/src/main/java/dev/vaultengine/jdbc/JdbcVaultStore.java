package dev.vaultengine.jdbc;

import static java.util.Objects.requireNonNull;

import dev.vaultengine.Status;
import dev.vaultengine.VaultException;
import dev.vaultengine.internal.cache.BoundedCache;
import dev.vaultengine.jdbc.internal.CredentialInsert;
import dev.vaultengine.jdbc.internal.Dialect;
import dev.vaultengine.jdbc.internal.EmbeddedDatabase;
import dev.vaultengine.jdbc.internal.ListFilter;
import dev.vaultengine.jdbc.internal.LogAppender;
import dev.vaultengine.jdbc.internal.Migrations;
import dev.vaultengine.jdbc.internal.QuietCommits;
import dev.vaultengine.jdbc.internal.Rows;
import dev.vaultengine.jdbc.internal.Sql;
import dev.vaultengine.jdbc.internal.SqliteFile;
import dev.vaultengine.jdbc.internal.Statements;
import dev.vaultengine.jdbc.internal.WritePath;
import dev.vaultengine.spi.AuditHead;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.ListQuery;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.VaultStore;
import dev.vaultengine.spi.WriteOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * A store in a relational database through Jdbi: SQLite, H2, PostgreSQL or MariaDB. Every rule the
 * engine relies on is decided by the database inside one transaction or by a constraint (the
 * one-active-credential-per-URL rule is a unique index), so it holds across processes.
 *
 * <p>Open the embedded kinds with {@link EmbeddedStores}, and a server database with
 * {@link #builder(DataSource)} over a pooled {@code DataSource} (every call borrows a connection).
 * What differs between databases lives in {@code Dialect}, the SQL in {@code Statements}, row
 * mapping in {@code Rows}, list filters in {@code ListFilter} and transactions, retries and
 * unique-violation outcomes in {@code WritePath}.
 */
public final class JdbcVaultStore implements VaultStore {
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,20}|");

  /** How the store was opened, which decides its write path and its change count. */
  enum Embedding {
    /** A caller's {@code DataSource}: other processes may write; no change count. */
    NONE,
    /** An H2 factory: this JVM is the only writer; inserts are one statement under its lock. */
    H2,
    /** The SQLite factory: the change count comes from the file and sees every process. */
    SQLITE
  }

  private final Jdbi jdbi;
  /** The caller's or factory's pool: the PostgreSQL event watch takes its connection here. */
  private final DataSource dataSource;
  private final String prefix;
  private final Dialect dialect;
  private final WritePath writes;
  /** Appends each write's journal in the write's transaction. */
  private final LogAppender log;
  /**
   * The one-vault resolve read with the prefix filled in once: the resolve path that reads the
   * store runs it at every call, and Jdbi's template rendering and mapper lookup were a measurable
   * part of it (docs/BENCHMARKS.md).
   */
  private final String activeInVault;
  private final AutoCloseable onClose;
  /**
   * True for the H2 factories: inserts are one autocommit statement under the embedded lock
   * instead of a transaction that locks the vault row (measured 187 against 315 microseconds per
   * create on an H2 file), and the change count is reported. A store over a caller's H2
   * {@code DataSource} keeps the transaction and reports -1, since its URL may carry settings such
   * as {@code AUTO_SERVER} that let other processes write; it still takes the embedded lock and
   * counts its writes, so it stays safe beside a factory store on the same database.
   */
  private final boolean ownsEmbedded;
  /** The change count, or null when the store cannot tell cheaply. */
  private final LongSupplier changes;
  /** The SQLite file of a store opened by {@link EmbeddedStores#sqlite}, else null. */
  private final SqliteFile sqlite;
  /** The one-vault resolve read on plain JDBC, for a store on SQLite or H2; else null. */
  private final dev.vaultengine.jdbc.internal.EmbeddedResolveRead embeddedResolve;
  /** The create's one statement on an embedded database, on plain JDBC. */
  private final CredentialInsert credentialInsert;
  /** This store's log-only commits on its SQLite file, left out of the change count; or null. */
  private final QuietCommits quiet;
  /** SHA-256 of URL keys already seen: the resolve path hashes the same few URLs again and again. */
  private final BoundedCache<String, String> urlHashes = new BoundedCache<>(10_000);
  private volatile boolean closed;

  JdbcVaultStore(DataSource dataSource, String prefix, SchemaMode mode, AutoCloseable onClose,
      Embedding embedding, SqliteFile sqlite, String busyMessage) {
    this.jdbi = Jdbi.create(dataSource);
    this.dataSource = dataSource;
    this.prefix = prefix;
    this.onClose = onClose;
    this.dialect = detect(jdbi);
    if (dialect == Dialect.SQLITE) {
      dev.vaultengine.jdbc.internal.CachedStatements.install(jdbi);
    }
    EmbeddedDatabase embedded = dialect == Dialect.H2 ? EmbeddedDatabase.of(url(jdbi)) : null;
    this.ownsEmbedded = embedding == Embedding.H2 && embedded != null;
    this.changes = ownsEmbedded ? embedded::changes
        : embedding == Embedding.SQLITE ? sqlite::changeCount : null;
    this.sqlite = embedding == Embedding.SQLITE ? sqlite : null;
    this.quiet = this.sqlite != null ? new QuietCommits() : null;
    this.writes = new WritePath(jdbi, dataSource, dialect, embedded, busyMessage != null ? busyMessage
        : "The database is locked: another connection held its write lock past the wait.");
    this.credentialInsert = new CredentialInsert(prefix, dialect);
    this.embeddedResolve = dialect == Dialect.SQLITE || dialect == Dialect.H2
        ? new dev.vaultengine.jdbc.internal.EmbeddedResolveRead(dialect, prefix,
            writes.busyOrMessage())
        : null;
    Statements.define(jdbi, prefix, dialect);
    this.log = new LogAppender(dialect, prefix,
        dialect == Dialect.POSTGRESQL ? notifyChannel() : null);
    this.activeInVault = Statements.rendered(Statements.ACTIVE_IN_VAULT, prefix);
    Rows.register(jdbi);
    try {
      if (mode == SchemaMode.VALIDATE) {
        Migrations.validate(jdbi, prefix);
      } else {
        Migrations.migrate(jdbi, dialect, prefix);
      }
    } catch (JdbiException e) {
      SQLException sql = Sql.cause(e);
      if (sql != null && dialect.isBusy(sql)) {
        throw VaultException.api(writes.busyOrMessage(), null);
      }
      throw VaultException.api("Applying the vault-engine schema failed ("
          + (sql != null ? "SQLState " + sql.getSQLState() : e.getClass().getSimpleName())
          + ").", null);
    }
  }

  private static String url(Jdbi jdbi) {
    try {
      return jdbi.withHandle(h -> h.getConnection().getMetaData().getURL());
    } catch (SQLException | JdbiException e) {
      throw cannotConnect(e);
    }
  }

  /** The first connection the store opens: a failure to connect is said here, in words. */
  private static Dialect detect(Jdbi jdbi) {
    try {
      return jdbi.withHandle(h -> Dialect.of(
          h.getConnection().getMetaData().getDatabaseProductName()));
    } catch (SQLException | JdbiException e) {
      throw cannotConnect(e);
    }
  }

  private static VaultException cannotConnect(Exception e) {
    SQLException sql = null; // the innermost: a pool wraps the driver's own
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        sql = s;
      }
    }
    return VaultException.api(sql != null ? Sql.connectFailure(sql)
        : "Cannot read the database's metadata (" + e.getClass().getSimpleName() + ").", null);
  }

  /** A builder over any {@code DataSource}; the database kind is detected from the connection. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(requireNonNull(dataSource, "dataSource"));
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
      requireNonNull(prefix, "prefix");
      if (!PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException("The table prefix must be up to 21 lower-case letters, "
            + "digits and underscores, starting with a letter (or empty), not '" + prefix + "'.");
      }
      this.prefix = prefix;
      return this;
    }

    /** {@link SchemaMode#MIGRATE} (default) or {@link SchemaMode#VALIDATE}. */
    public Builder schemaMode(SchemaMode mode) {
      this.mode = requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Opens the store: detects the database and migrates or validates the schema. The caller keeps
     * ownership of the {@code DataSource}; closing the store does not close it.
     */
    public JdbcVaultStore build() {
      return new JdbcVaultStore(dataSource, prefix, mode, () -> { }, Embedding.NONE, null, null);
    }
  }

  /** The database this store detected: {@code SQLITE}, {@code H2}, {@code POSTGRESQL} or {@code MARIADB}. */
  public String databaseKind() {
    return dialect.name();
  }

  /** This store's {@code Jdbi}, with the {@code <prefix>} define set (for {@link StoreCopy}). */
  Jdbi jdbi() {
    return jdbi;
  }

  /** The prefix of this store's table names. */
  String tablePrefix() {
    return prefix;
  }

  /** This store's transactions, retries and embedded writer lock (for {@link StoreCopy}). */
  WritePath writes() {
    return writes;
  }

  // ---------------------------------------------------------------- vaults

  @Override
  public WriteOutcome insertVault(VaultRow vault, List<CredentialRow> rows, Journal journal) {
    return refusedAfterRollback(writes.insert(() -> writes.tx(h -> {
      Rows.bindVault(h.createUpdate(Statements.INSERT_VAULT), vault).execute();
      if (!rows.isEmpty()) {
        var batch = h.prepareBatch(Statements.INSERT_CREDENTIAL);
        for (CredentialRow c : rows) {
          Rows.bindCredential(batch, c).add();
        }
        batch.execute();
      }
      log.append(h, journal, WriteOutcome.OK, List.of());
      return WriteOutcome.OK;
    }), vault.id(), rows.stream().map(CredentialRow::id).toList()), journal);
  }

  @Override
  public Optional<VaultRow> findVault(String accountId, String vaultId) {
    return writes.read(h -> h.createQuery(Statements.FIND_VAULT)
        .bind("account", accountId).bind("id", vaultId).mapTo(VaultRow.class).findOne());
  }

  @Override
  public List<VaultRow> listVaults(String accountId, ListQuery q) {
    ListFilter filter = ListFilter.of(q, "account_id", "name_folded");
    return writes.read(h -> h.createQuery(Statements.LIST_VAULTS + filter.sql())
        .bind("account", accountId).bindMap(filter.bindings()).mapTo(VaultRow.class).list());
  }

  @Override
  public WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt, Journal journal) {
    return writes.tx(h -> {
      int n = h.createUpdate(Statements.UPDATE_VAULT)
          .bind("name", vault.displayName())
          .bind("folded", vault.displayName().toLowerCase(Locale.ROOT))
          .bind("metadata", Sql.metadata(vault.metadata()))
          .bind("updated", Sql.micros(vault.updatedAt()))
          .bind("account", vault.accountId())
          .bind("id", vault.id())
          .bind("expected", Sql.micros(expectedUpdatedAt))
          .execute();
      // Nothing written: why, read in the same transaction, so the journal records the outcome
      // this transaction saw.
      WriteOutcome outcome = n == 1 ? WriteOutcome.OK : h.createQuery(Statements.VAULT_STATUS)
          .bind("account", vault.accountId()).bind("id", vault.id()).mapTo(String.class)
          .findOne()
          .map(s -> Status.fromWire(s) == Status.ARCHIVED ? WriteOutcome.ARCHIVED
              : WriteOutcome.STALE)
          .orElse(WriteOutcome.NOT_FOUND);
      log.append(h, journal, outcome, List.of());
      return outcome;
    });
  }

  @Override
  public WriteOutcome archiveVault(String accountId, String vaultId, Instant at,
      Journal journal) {
    return writes.embeddedWrite(() -> writes.tx(h -> {
      int n = h.createUpdate(Statements.ARCHIVE_VAULT)
          .bind("at", Sql.micros(at)).bind("account", accountId).bind("id", vaultId).execute();
      if (n == 0) {
        WriteOutcome outcome = vaultState(h, accountId, vaultId);
        log.append(h, journal, outcome, List.of());
        return outcome;
      }
      // The vault row is locked by the update above, and every credential insert locks it (or,
      // on SQLite, the database) first: the active set read here is the one archived below.
      List<String> archived = journal == Journal.NONE ? List.of()
          : sortedIds(h, Statements.ACTIVE_VAULT_CREDENTIAL_IDS, vaultId);
      h.createUpdate(Statements.ARCHIVE_VAULT_CREDENTIALS)
          .bind("at", Sql.micros(at)).bind("vault", vaultId).execute();
      log.append(h, journal, WriteOutcome.OK, archived);
      return WriteOutcome.OK;
    }));
  }

  @Override
  public boolean deleteVault(String accountId, String vaultId, Journal journal) {
    if (journal == Journal.NONE) {
      return writes.embeddedWrite(() -> writes.tx(h -> h.createUpdate(Statements.DELETE_VAULT)
          .bind("account", accountId).bind("id", vaultId).execute() == 1));
    }
    return writes.embeddedWrite(() -> writes.tx(h -> {
      // Lock the vault row first (credential inserts lock it too), so the credentials listed
      // are exactly those the cascade deletes.
      if (lockActiveVault(h, accountId, vaultId) == WriteOutcome.NOT_FOUND) {
        log.append(h, journal, WriteOutcome.NOT_FOUND, List.of());
        return false;
      }
      List<String> deleted = sortedIds(h, Statements.VAULT_CREDENTIAL_IDS, vaultId);
      boolean done = h.createUpdate(Statements.DELETE_VAULT)
          .bind("account", accountId).bind("id", vaultId).execute() == 1;
      log.append(h, journal, done ? WriteOutcome.OK : WriteOutcome.NOT_FOUND,
          done ? deleted : List.of());
      return done;
    }));
  }

  // ---------------------------------------------------------------- credentials

  @Override
  public WriteOutcome insertCredential(CredentialRow c, Journal journal) {
    if (ownsEmbedded || dialect == Dialect.SQLITE) {
      // One INSERT ... SELECT that writes the row only while the vault is active. On SQLite the
      // statement (or the transaction's first statement) takes the database's one write lock
      // before it reads, so no archive or delete of the vault can run between its check and its
      // write; an embedded H2 database has no such lock, so the stores of this JVM take the
      // embedded writer lock around it (H2 locks its file to one process, so they are all its
      // writers). One statement instead of a transaction of three (lock, read the vault,
      // insert): the SQLite create's cost over a raw insert was mostly those round trips. With a
      // journal to append it runs in a transaction with the log's statements, the insert first
      // (it takes the write lock: see WritePath.txJdbc). Both on plain JDBC (WritePath).
      if (journal == Journal.NONE) {
        return writes.insert(() -> writes.embeddedWrite(() -> writes.autocommitJdbc(connection ->
            createdOrWhyNot(connection, c))), null, List.of(c.id()));
      }
      return refusedAfterRollback(writes.insert(() -> writes.embeddedWrite(() -> writes.txJdbc(
          connection -> {
            WriteOutcome outcome = createdOrWhyNot(connection, c);
            log.append(connection, journal, outcome, List.of());
            return outcome;
          })), null, List.of(c.id())), journal);
    }
    return refusedAfterRollback(writes.insert(() -> writes.tx(h -> {
      WriteOutcome vault = lockActiveVault(h, c.accountId(), c.vaultId());
      if (vault != WriteOutcome.OK) {
        log.append(h, journal, vault, List.of());
        return vault;
      }
      Rows.bindCredential(h.createUpdate(Statements.INSERT_CREDENTIAL), c).execute();
      log.append(h, journal, WriteOutcome.OK, List.of());
      return WriteOutcome.OK;
    }), null, List.of(c.id())), journal);
  }

  @Override
  public WriteOutcome updateCredential(CredentialRow updated, Instant expectedUpdatedAt,
      Journal journal) {
    long expected = Sql.micros(expectedUpdatedAt);
    return writes.tx(h -> {
      var update = Rows.bindMutable(h.createUpdate(updated.secrets() == null
          ? Statements.UPDATE_CREDENTIAL_KEEPING_SECRETS : Statements.UPDATE_CREDENTIAL), updated);
      if (updated.secrets() != null) {
        Rows.bindSecrets(update, updated.secrets());
      }
      int n = update
          .bind("account", updated.accountId())
          .bind("vault", updated.vaultId())
          .bind("id", updated.id())
          .bind("expected", expected)
          .execute();
      // Nothing written: why, read in the same transaction.
      WriteOutcome outcome = n == 1 ? WriteOutcome.OK : h.createQuery(Statements.CREDENTIAL_STATE)
          .bind("account", updated.accountId()).bind("vault", updated.vaultId())
          .bind("id", updated.id())
          .map((rs, ctx) -> Status.fromWire(rs.getString(1)) == Status.ARCHIVED
              ? WriteOutcome.ARCHIVED : WriteOutcome.STALE)
          .findOne().orElse(WriteOutcome.NOT_FOUND);
      log.append(h, journal, outcome, List.of());
      return outcome;
    });
  }

  @Override
  public Optional<CredentialRow> findCredential(String accountId, String vaultId, String id) {
    return writes.read(h -> h.createQuery(Statements.FIND_CREDENTIAL)
        .bind("account", accountId).bind("vault", vaultId).bind("id", id)
        .mapTo(CredentialRow.class).findOne());
  }

  @Override
  public List<CredentialRow> listCredentials(String accountId, String vaultId, ListQuery q) {
    // The URL as written or the secret name, or the display name (NULL when there is none).
    ListFilter filter = ListFilter.of(q, "vault_id", "url_folded", "name_folded");
    return writes.read(h -> h.createQuery(Statements.LIST_CREDENTIALS + filter.sql())
        .bind("account", accountId).bind("vault", vaultId).bindMap(filter.bindings())
        .mapTo(CredentialRow.class).list());
  }

  @Override
  public WriteOutcome archiveCredential(String accountId, String vaultId, String id, Instant at,
      Journal journal) {
    return writes.tx(h -> {
      int n = h.createUpdate(Statements.ARCHIVE_CREDENTIAL)
          .bind("at", Sql.micros(at)).bind("account", accountId).bind("vault", vaultId)
          .bind("id", id).execute();
      WriteOutcome outcome = n == 1 ? WriteOutcome.OK : credentialState(h, accountId, vaultId, id);
      log.append(h, journal, outcome, List.of());
      return outcome;
    });
  }

  @Override
  public boolean deleteCredential(String accountId, String vaultId, String id, Journal journal) {
    return writes.tx(h -> {
      boolean done = h.createUpdate(Statements.DELETE_CREDENTIAL)
          .bind("account", accountId).bind("vault", vaultId).bind("id", id).execute() == 1;
      log.append(h, journal, done ? WriteOutcome.OK : WriteOutcome.NOT_FOUND, List.of());
      return done;
    });
  }

  @Override
  public WriteOutcome rotateCredential(String accountId, String vaultId, String id, Instant at,
      CredentialRow replacement, Journal journal) {
    return refusedAfterRollback(writes.insert(() -> writes.tx(h -> {
      WriteOutcome vault = lockActiveVault(h, accountId, vaultId);
      if (vault == WriteOutcome.NOT_FOUND) {
        log.append(h, journal, vault, List.of());
        return vault;
      }
      int n = h.createUpdate(Statements.ARCHIVE_CREDENTIAL)
          .bind("at", Sql.micros(at)).bind("account", accountId).bind("vault", vaultId)
          .bind("id", id).execute();
      if (n == 0) {
        WriteOutcome outcome = credentialState(h, accountId, vaultId, id);
        log.append(h, journal, outcome, List.of());
        return outcome;
      }
      Rows.bindCredential(h.createUpdate(Statements.INSERT_CREDENTIAL), replacement).execute();
      log.append(h, journal, WriteOutcome.OK, List.of());
      return WriteOutcome.OK;
    }), null, List.of(replacement.id())), journal);
  }

  @Override
  public List<CredentialRow> findActiveCredentials(String accountId, List<String> vaultIds,
      String urlKey) {
    if (vaultIds.isEmpty()) {
      return List.of();
    }
    String hash = urlHashes.computeIfAbsent(urlKey, Sql::sha256);
    // The full url_key is compared after the indexed read, hash or no hash.
    if (embeddedResolve != null && vaultIds.size() == 1) {
      return embeddedResolve.find(dataSource, accountId, vaultIds.get(0), hash).stream()
          .filter(c -> c.identityKey().equals(urlKey)).toList();
    }
    return writes.read(h -> {
      var query = vaultIds.size() == 1
          ? h.createQuery(activeInVault).bind("vault", vaultIds.get(0))
          : h.createQuery(Statements.ACTIVE_IN_VAULTS).bindList("vault_ids", vaultIds);
      return query.bind("hash", hash).bind("account", accountId)
          .map((rs, ctx) -> Rows.credential(rs)).list();
    }).stream().filter(c -> c.identityKey().equals(urlKey)).toList();
  }

  // ---------------------------------------------------------------- keys

  @Override
  public Optional<byte[]> loadKeyset() {
    return writes.read(h -> h.createQuery(Statements.LOAD_KEYSET)
        .map((rs, ctx) -> rs.getBytes(1)).findOne());
  }

  @Override
  public boolean replaceKeyset(byte[] expected, byte[] replacement, Journal journal) {
    try {
      return writes.tx(h -> {
        boolean swapped;
        if (expected == null) {
          h.createUpdate(Statements.INSERT_KEYSET)
              .bind("w", replacement).bind("d", Sql.sha256(replacement)).execute();
          swapped = true;
        } else {
          swapped = h.createUpdate(Statements.REPLACE_KEYSET)
              .bind("w", replacement).bind("d", Sql.sha256(replacement))
              .bind("old", Sql.sha256(expected)).execute() == 1;
        }
        log.append(h, journal, swapped ? WriteOutcome.OK : WriteOutcome.STALE, List.of());
        return swapped;
      });
    } catch (JdbiException e) {
      if (writes.uniqueViolation(e)) {
        // Another process stored the first keyset: this transaction rolled back, so what the
        // journal records of a lost race is appended on its own.
        appendOnly(journal, WriteOutcome.STALE);
        return false;
      }
      throw e;
    }
  }

  @Override
  public Optional<byte[]> loadAuditKey() {
    return writes.read(h -> h.createQuery(Statements.LOAD_AUDIT_KEY)
        .map((rs, ctx) -> rs.getBytes(1)).findOne());
  }

  /** Compare-and-set of the keyset table's row 2, as {@link #replaceKeyset} is of row 1. */
  @Override
  public boolean replaceAuditKey(byte[] expected, byte[] replacement) {
    try {
      return logOnly(h -> {
        if (expected == null) {
          h.createUpdate(Statements.INSERT_AUDIT_KEY)
              .bind("w", replacement).bind("d", Sql.sha256(replacement)).execute();
          return true;
        }
        return h.createUpdate(Statements.REPLACE_AUDIT_KEY)
            .bind("w", replacement).bind("d", Sql.sha256(replacement))
            .bind("old", Sql.sha256(expected)).execute() == 1;
      });
    } catch (JdbiException e) {
      if (writes.uniqueViolation(e)) {
        return false; // another process stored the first audit key
      }
      throw e;
    }
  }

  @Override
  public List<CredentialRow> findTokensOnKey(int keyId, String afterId, int limit) {
    return writes.read(h -> h.createQuery(Statements.TOKENS_ON_KEY)
        .bind("key", keyId).bind("after", afterId == null ? "" : afterId).bind("limit", limit)
        .mapTo(CredentialRow.class).list());
  }

  @Override
  public long countTokensNotOnKey(int keyId) {
    return writes.read(h -> h.createQuery(Statements.COUNT_TOKENS_NOT_ON_KEY)
        .bind("key", keyId).mapTo(Long.class).one());
  }

  @Override
  public boolean replaceSecrets(String accountId, String credentialId, EncryptedToken expected,
      EncryptedSecrets replacement) {
    return writes.tx(h -> {
      byte[] current = h.createQuery(Statements.LOCK_TOKEN)
          .bind("account", accountId).bind("id", credentialId).bind("key", expected.keyId())
          .map((rs, ctx) -> rs.getBytes(1)).findOne().orElse(null);
      if (current == null || !Arrays.equals(current, expected.ciphertext())) {
        return false;
      }
      return Rows.bindSecrets(h.createUpdate(Statements.REPLACE_SECRETS), replacement)
          .bind("account", accountId).bind("id", credentialId).execute() == 1;
    });
  }

  @Override
  public Optional<Instant> tryLeaseRefresh(String accountId, String credentialId, String owner,
      Instant now, Instant until) {
    return writes.embeddedWrite(() -> writes.tx(h -> {
      int taken = h.createUpdate(Statements.TAKE_REFRESH_LEASE)
          .bind("owner", owner).bind("until", Sql.micros(until)).bind("now", Sql.micros(now))
          .bind("account", accountId).bind("id", credentialId).execute();
      if (taken == 1) {
        return Optional.<Instant>empty();
      }
      return Optional.of(h.createQuery(Statements.REFRESH_LEASE)
          .bind("account", accountId).bind("id", credentialId)
          .map((rs, ctx) -> {
            Instant heldUntil = Sql.instant(rs, 2);
            // Not active: held forever. Released between our two statements: ended just now.
            return !"active".equals(rs.getString(1)) ? Instant.MAX
                : heldUntil == null ? now : heldUntil;
          })
          .findOne().orElse(Instant.MAX));
    }));
  }

  @Override
  public boolean releaseRefreshLease(String accountId, String credentialId, String owner) {
    return writes.embeddedWrite(() -> writes.tx(h -> h.createUpdate(
        Statements.RELEASE_REFRESH_LEASE).bind("account", accountId).bind("id", credentialId)
        .bind("owner", owner).execute())) == 1;
  }

  // ---------------------------------------------------------------- the log: events and audit

  @Override
  public void append(Journal journal) {
    appendOnly(journal, WriteOutcome.OK);
  }

  @Override
  public List<EventRow> readEvents(long afterSequence, int limit) {
    return writes.read(h -> h.createQuery(Statements.READ_EVENTS).bind("after", afterSequence)
        .bind("limit", limit).map((rs, ctx) -> Rows.event(rs)).list());
  }

  /** One primary-key read of the log head row. */
  @Override
  public long lastEventSequence() {
    return writes.read(h -> h.createQuery(Statements.LAST_EVENT_SEQUENCE).mapTo(Long.class)
        .findOne().orElse(0L));
  }

  @Override
  public OptionalLong subscriberPosition(String name) {
    return writes.read(h -> h.createQuery(Statements.SUBSCRIBER_POSITION).bind("name", name)
        .mapTo(Long.class).findOne()).map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  /**
   * An update, or an insert when there was no row: portable across the four databases. Two
   * processes creating the same subscriber at once: the loser's insert fails on the primary key
   * and it updates the row the winner made.
   */
  @Override
  public void saveSubscriberPosition(String name, long position) {
    long now = Sql.micros(Instant.now());
    try {
      logOnly(h -> {
        int n = h.createUpdate(Statements.UPDATE_SUBSCRIBER).bind("name", name)
            .bind("position", position).bind("now", now).execute();
        if (n == 0) {
          h.createUpdate(Statements.INSERT_SUBSCRIBER).bind("name", name)
              .bind("position", position).bind("now", now).execute();
        }
        return null;
      });
    } catch (JdbiException e) {
      if (!writes.uniqueViolation(e)) {
        throw e;
      }
      logOnly(h -> h.createUpdate(Statements.UPDATE_SUBSCRIBER).bind("name", name)
          .bind("position", position).bind("now", now).execute());
    }
  }

  @Override
  public boolean deleteSubscriber(String name) {
    return logOnly(h -> h.createUpdate(Statements.DELETE_SUBSCRIBER).bind("name", name)
        .execute()) == 1;
  }

  /**
   * Deletes the events older than {@code before} at or below every durable subscriber's position
   * (all of them older than {@code before} when there is no durable subscriber), in one
   * transaction.
   */
  @Override
  public int purgeEvents(Instant before) {
    return logOnly(h -> {
      long acknowledged = h.createQuery(Statements.MIN_SUBSCRIBER_POSITION)
          .map((rs, ctx) -> {
            long min = rs.getLong(1);
            return rs.wasNull() ? Long.MAX_VALUE : min;
          })
          .one();
      return h.createUpdate(Statements.PURGE_EVENTS).bind("before", Sql.micros(before))
          .bind("acknowledged", acknowledged).execute();
    });
  }

  @Override
  public List<AuditRow> readAudit(long afterSequence, int limit) {
    return writes.read(h -> h.createQuery(Statements.READ_AUDIT).bind("after", afterSequence)
        .bind("limit", limit).map((rs, ctx) -> Rows.audit(rs)).list());
  }

  @Override
  public AuditHead auditHead() {
    return writes.read(h -> h.createQuery(Statements.AUDIT_HEAD)
        .map((rs, ctx) -> {
          byte[] mac = rs.getBytes(2);
          return new AuditHead(rs.getLong(1), mac == null ? new byte[0] : mac);
        })
        .findOne().orElse(new AuditHead(0, new byte[0])));
  }

  /**
   * On PostgreSQL, a dedicated connection that listens on this store's channel and calls
   * {@code wake} when another process (or this one) commits events; elsewhere nothing, and the
   * engine's polling finds them.
   */
  @Override
  public AutoCloseable watchEvents(Runnable wake) {
    requireNonNull(wake, "wake");
    if (dialect != Dialect.POSTGRESQL) {
      return VaultStore.super.watchEvents(wake);
    }
    // The only reference to the PostgreSQL driver's API, reached on PostgreSQL only.
    return dev.vaultengine.jdbc.internal.PgEventWatch.start(dataSource, notifyChannel(), wake);
  }

  /**
   * The PostgreSQL channel of this store's tables: the table prefix (lower-case letters, digits
   * and underscores, checked by the builder) and {@code vault_events}, so two stores with other
   * prefixes in one database do not wake each other.
   */
  String notifyChannel() {
    return prefix + "vault_events";
  }

  /** Appends a journal in a transaction of its own, which changes nothing else. */
  private void appendOnly(Journal journal, WriteOutcome outcome) {
    if (journal == Journal.NONE) {
      return;
    }
    logOnly(h -> {
      log.append(h, journal, outcome, List.of());
      return null;
    });
  }

  /**
   * A transaction that writes only the log, which no resolve reads: it does not count as a change
   * (see {@link WritePath#logTx} and {@link QuietCommits}), so sessions keep their answers.
   */
  private <T> T logOnly(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    if (quiet == null) {
      return writes.logTx(work);
    }
    long[] before = {-1};
    T result = writes.logTx(h -> {
      before[0] = sqlite.changeCount(); // under the file's write lock: no other commit now
      return work.withHandle(h);
    });
    long after = sqlite.changeCount();
    if (before[0] >= 0 && sqlite.oneCommitBetween(before[0], after)) {
      quiet.record(before[0], after);
    }
    return result;
  }

  /**
   * A write refused by a unique violation ({@link WriteOutcome#DUPLICATE_URL}) was rolled back
   * whole, its journal with it: the refusal's entries (its audit entry) are appended on their
   * own, as a refusal changes nothing else.
   */
  private WriteOutcome refusedAfterRollback(WriteOutcome outcome, Journal journal) {
    if (outcome == WriteOutcome.DUPLICATE_URL) {
      appendOnly(journal, outcome);
    }
    return outcome;
  }

  /** The ids {@code sql} selects for a vault, in ascending order as Java compares them. */
  private static List<String> sortedIds(Handle h, String sql, String vaultId) {
    // Sorted here rather than by ORDER BY: a database's collation may order ids otherwise.
    return h.createQuery(sql).bind("vault", vaultId).mapTo(String.class).list().stream()
        .map(String::stripTrailing).sorted().toList();
  }

  /**
   * The change count of a SQLite file opened by {@link EmbeddedStores#sqlite} (every commit by any
   * process) or of an H2 database this JVM embeds, opened by a factory; -1 otherwise.
   */
  @Override
  public long changeCount() {
    if (changes == null || closed) {
      return -1;
    }
    long raw = changes.getAsLong();
    return quiet == null || raw < 0 ? raw : quiet.reported(raw);
  }

  /**
   * One commit between two counts: on SQLite, the WAL index's transaction counter moved by one
   * more than this store's own log-only commits in between; on an embedded H2 database, the count
   * (this JVM's writes, log-only ones not counted) moved by one.
   */
  @Override
  public boolean oneChangeBetween(long before, long after) {
    if (changes == null || closed) {
      return false;
    }
    if (sqlite == null) {
      return VaultStore.super.oneChangeBetween(before, after);
    }
    // Commits of the file between the two counts, less this store's own log-only ones (a first
    // disclosure's audit entry between two of the engine's writes): one left is the write.
    long commits = sqlite.commitsBetween(before, after);
    long quietOnes = quiet.quietBetween(before, after);
    return commits >= 1 && quietOnes >= 0 && commits - quietOnes == 1;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      onClose.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the database failed", e);
    }
  }

  // ---------------------------------------------------------------- internals

  /** Locks the vault row (or the whole database, on SQLite) for the rest of the transaction. */
  private WriteOutcome lockActiveVault(Handle h, String accountId, String vaultId) {
    return h.createQuery(Statements.LOCK_VAULT_STATUS)
        .bind("account", accountId).bind("id", vaultId).mapTo(String.class).findOne()
        .map(s -> Status.fromWire(s) == Status.ACTIVE ? WriteOutcome.OK : WriteOutcome.ARCHIVED)
        .orElse(WriteOutcome.NOT_FOUND);
  }

  /** The embedded create's insert, and why it wrote nothing when it did not. */
  private WriteOutcome createdOrWhyNot(Connection connection, CredentialRow c)
      throws SQLException {
    if (credentialInsert.ifVaultActive(connection, c) == 1) {
      return WriteOutcome.OK;
    }
    return credentialInsert.vaultExists(connection, c.accountId(), c.vaultId())
        ? WriteOutcome.ARCHIVED : WriteOutcome.NOT_FOUND;
  }

  private static WriteOutcome vaultState(Handle h, String accountId, String vaultId) {
    return h.createQuery(Statements.VAULT_STATUS)
        .bind("account", accountId).bind("id", vaultId).mapTo(String.class).findOne()
        .map(s -> WriteOutcome.ARCHIVED).orElse(WriteOutcome.NOT_FOUND);
  }

  private static WriteOutcome credentialState(Handle h, String accountId, String vaultId,
      String id) {
    return h.createQuery(Statements.CREDENTIAL_STATUS)
        .bind("account", accountId).bind("vault", vaultId).bind("id", id)
        .mapTo(String.class).findOne()
        .map(s -> WriteOutcome.ARCHIVED).orElse(WriteOutcome.NOT_FOUND);
  }
}
