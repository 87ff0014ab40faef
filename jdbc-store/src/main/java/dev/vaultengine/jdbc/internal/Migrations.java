package dev.vaultengine.jdbc.internal;

import dev.vaultengine.VaultException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The schema as explicit, ordered, versioned migrations shipped in the jar, with a bookkeeping
 * table ({@code <prefix>schema_history}). Applying is idempotent and serialized across processes by
 * the dialect's lock; validating only checks that the recorded history matches this build.
 */
public final class Migrations {
  /** The migrations of this build, in order. A new one is appended, never edited. */
  private static final List<String> FILES = List.of("V1__create_tables.sql",
      "V2__credential_kinds.sql", "V3__refresh_lease.sql", "V4__events_and_audit.sql");

  /** One migration. */
  record Migration(int version, String description, String template, String checksum) {}

  private Migrations() {}

  static List<Migration> all() {
    List<Migration> out = new ArrayList<>();
    for (String file : FILES) {
      String template = resource(file);
      int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
      String description = file.substring(file.indexOf("__") + 2, file.length() - 4)
          .replace('_', ' ');
      out.add(new Migration(version, description, template, Sql.sha256(template)));
    }
    return out;
  }

  /** The latest schema version this build knows. */
  public static int latestVersion() {
    List<Migration> all = all();
    return all.get(all.size() - 1).version();
  }

  /** Applies every migration not yet recorded, holding the cross-process migration lock. */
  public static void migrate(Jdbi jdbi, Dialect dialect, String prefix) {
    try {
      apply(jdbi, dialect, prefix);
    } catch (SQLException e) {
      throw VaultException.api("Applying the vault-engine schema failed (SQLState "
          + e.getSQLState() + ").", null);
    }
  }

  private static void apply(Jdbi jdbi, Dialect dialect, String prefix) throws SQLException {
    jdbi.useHandle(handle -> {
      if (upToDate(handle, prefix)) {
        // A schema that is already this build's needs no lock: on SQLite the lock is the
        // database's one write lock, and a reader (a CLI listing vaults while a host writes) must
        // not wait for it, nor fail when a writer holds it past the busy timeout.
        return;
      }
      if (dialect.migratesInTransaction()) {
        // SQLite: BEGIN IMMEDIATE takes the database's write lock, so two processes opening a
        // fresh file at once apply the migrations one after the other, each in one transaction.
        createHistory(handle, dialect, prefix);
        handle.useTransaction(h -> {
          h.define("prefix", prefix).execute(dialect.writeLock());
          applyLocked(h, dialect, prefix);
        });
        return;
      }
      String lockName = "vault-engine-migrate-" + prefix;
      dialect.lock(handle, lockName);
      try {
        applyLocked(handle, dialect, prefix);
      } finally {
        dialect.unlock(handle, lockName);
      }
    });
  }

  /**
   * Whether every migration of this build is recorded, read without a lock. A history that
   * differs from this build's is refused here as under the lock ({@link #check}); a missing
   * history or a missing migration is not up to date, and is applied under the lock.
   */
  private static boolean upToDate(Handle handle, String prefix) throws SQLException {
    if (!historyExists(handle, prefix)) {
      return false;
    }
    Map<Integer, String> applied;
    try {
      applied = history(handle, prefix);
    } catch (RuntimeException e) {
      // Not readable from here (a table of that name in another schema): decided under the lock.
      return false;
    }
    check(applied, prefix);
    return applied.size() == all().size();
  }

  private static void applyLocked(Handle handle, Dialect dialect, String prefix)
      throws SQLException {
    createHistory(handle, dialect, prefix);
    Map<Integer, String> applied = history(handle, prefix);
    check(applied, prefix);
    for (Migration m : all()) {
      if (applied.containsKey(m.version())) {
        continue;
      }
      for (String statement : statements(dialect.render(m.template(), prefix))) {
        handle.execute(statement);
      }
      handle.createUpdate("INSERT INTO " + prefix + "schema_history "
              + "(version, description, checksum, applied_at) VALUES (:v, :d, :c, :t)")
          .bind("v", m.version()).bind("d", m.description()).bind("c", m.checksum())
          .bind("t", System.currentTimeMillis() * 1000).execute();
    }
  }

  /** Checks, without changing anything, that the schema is exactly this build's. */
  public static void validate(Jdbi jdbi, String prefix) {
    jdbi.useHandle(handle -> {
      Map<Integer, String> applied;
      try {
        applied = history(handle, prefix);
      } catch (RuntimeException e) {
        throw VaultException.api("No vault-engine schema found (table " + prefix
            + "schema_history is missing); open the store in MIGRATE mode or apply the "
            + "migrations first.", null);
      }
      check(applied, prefix);
      if (applied.size() != all().size()) {
        throw VaultException.api("The vault-engine schema is at version "
            + applied.keySet().stream().max(Integer::compare).orElse(0) + " but this build needs "
            + latestVersion() + "; apply the pending migrations.", null);
      }
    });
  }

  private static void check(Map<Integer, String> applied, String prefix) {
    Map<Integer, Migration> known = new TreeMap<>();
    all().forEach(m -> known.put(m.version(), m));
    for (Map.Entry<Integer, String> e : applied.entrySet()) {
      Migration m = known.get(e.getKey());
      if (m == null) {
        throw VaultException.api("The vault-engine schema (" + prefix + ") has migration "
            + e.getKey() + ", which this build does not know: it was written by a newer version.",
            null);
      }
      if (!m.checksum().equals(e.getValue())) {
        throw VaultException.api("Migration " + e.getKey() + " recorded in " + prefix
            + "schema_history differs from this build's; the schema was changed by hand.", null);
      }
    }
  }

  private static boolean historyExists(Handle handle, String prefix) throws SQLException {
    try (var rs = handle.getConnection().getMetaData().getTables(null, null, null,
        new String[] {"TABLE"})) {
      while (rs.next()) {
        if (rs.getString("TABLE_NAME").equalsIgnoreCase(prefix + "schema_history")) {
          return true;
        }
      }
    }
    return false;
  }

  private static void createHistory(Handle handle, Dialect dialect, String prefix)
      throws SQLException {
    if (!historyExists(handle, prefix)) {
      handle.execute(dialect.render("CREATE TABLE IF NOT EXISTS ${prefix}schema_history ("
          + "version INTEGER NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL, "
          + "checksum CHAR(64) NOT NULL, applied_at BIGINT NOT NULL)${table_options}", prefix));
    }
  }

  private static Map<Integer, String> history(Handle handle, String prefix) {
    Map<Integer, String> applied = new TreeMap<>();
    handle.createQuery("SELECT version, checksum FROM " + prefix + "schema_history")
        .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getString(2)))
        .forEach(e -> applied.put(e.getKey(), e.getValue()));
    return applied;
  }

  static List<String> statements(String script) {
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String s : sql.toString().split(";")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  private static String resource(String file) {
    try (InputStream in = Migrations.class.getResourceAsStream(
        "/dev/vaultengine/jdbc/migrations/" + file)) {
      if (in == null) {
        throw new IllegalStateException("migration missing from the jar: " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + file, e);
    }
  }
}
