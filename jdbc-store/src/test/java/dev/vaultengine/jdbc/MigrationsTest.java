package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.ErrorType;
import dev.vaultengine.VaultException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Schema migrations: idempotent, safe when several processes open at once, validate-only mode. */
class MigrationsTest {
  private static final String PREFIX = "mig_";
  private DataSource current;

  static Stream<Arguments> databases() {
    return Stream.of(
        Arguments.of("postgresql", (Supplier<DataSource>) Databases::postgres),
        Arguments.of("mariadb", (Supplier<DataSource>) Databases::mariadb),
        Arguments.of("h2", (Supplier<DataSource>) () -> JdbcConnectionPool.create(
            "jdbc:h2:mem:migrations;DB_CLOSE_DELAY=-1", "sa", "")));
  }

  @AfterEach
  void drop() {
    if (current != null) {
      Databases.dropTables(current, PREFIX);
    }
  }

  private static List<Integer> history(DataSource ds) throws Exception {
    List<Integer> versions = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM " + PREFIX + "schema_history "
            + "ORDER BY version")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    return versions;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void appliedTwiceAndByFourOpenersAtOnceLeaveOneSchema(String name, Supplier<DataSource> db)
      throws Exception {
    current = db.get();
    Databases.dropTables(current, PREFIX);
    // Four openers racing on an empty database, each with its own connections, as separate host
    // processes would: the dialect's database-level lock must serialize them.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> opened = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        opened.add(pool.submit(() -> {
          start.await();
          try (JdbcVaultStore store = JdbcVaultStore.builder(current).tablePrefix(PREFIX)
              .build()) {
            return store.databaseKind();
          }
        }));
      }
      start.countDown();
      for (Future<String> f : opened) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(1, 2, 3, 4), history(current));
    // Applied again: nothing changes.
    JdbcVaultStore.builder(current).tablePrefix(PREFIX).build().close();
    assertEquals(List.of(1, 2, 3, 4), history(current));
    // Validate-only accepts the exact schema.
    JdbcVaultStore.builder(current).tablePrefix(PREFIX).schemaMode(SchemaMode.VALIDATE).build()
        .close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void validateOnlyRefusesAMissingOrForeignSchemaAndChangesNothing(String name,
      Supplier<DataSource> db) throws Exception {
    current = db.get();
    Databases.dropTables(current, PREFIX);
    VaultException missing = assertThrows(VaultException.class, () -> JdbcVaultStore
        .builder(current).tablePrefix(PREFIX).schemaMode(SchemaMode.VALIDATE).build());
    assertEquals(ErrorType.API, missing.type());
    assertTrue(missing.getMessage().contains("No vault-engine schema found"),
        missing.getMessage());

    JdbcVaultStore.builder(current).tablePrefix(PREFIX).build().close();
    try (Connection c = current.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + PREFIX + "schema_history (version, description, checksum, "
          + "applied_at) VALUES (99, 'from the future', 'x', 0)");
    }
    VaultException newer = assertThrows(VaultException.class, () -> JdbcVaultStore
        .builder(current).tablePrefix(PREFIX).schemaMode(SchemaMode.VALIDATE).build());
    assertTrue(newer.getMessage().contains("newer version"), newer.getMessage());
    assertThrows(VaultException.class, () -> JdbcVaultStore.builder(current).tablePrefix(PREFIX)
        .build(), "migrate mode refuses a newer schema too");
    assertEquals(List.of(1, 2, 3, 4, 99), history(current));
  }

  /**
   * An upgrade to version 2 interrupted between two of its statements (on these databases DDL
   * commits one statement at a time): opened again, the store adds the columns still missing and
   * records version 2.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void anUpgradeInterruptedHalfWayCompletesWhenOpenedAgain(String name, Supplier<DataSource> db)
      throws Exception {
    current = db.get();
    Databases.dropTables(current, PREFIX);
    JdbcVaultStore.builder(current).tablePrefix(PREFIX).build().close();
    try (Connection c = current.getConnection(); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + PREFIX + "credentials DROP COLUMN client_secret");
      s.execute("ALTER TABLE " + PREFIX + "credentials DROP COLUMN refresh_token");
      s.execute("DELETE FROM " + PREFIX + "schema_history WHERE version = 2");
    }
    assertEquals(List.of(1, 3, 4), history(current));
    JdbcVaultStore.builder(current).tablePrefix(PREFIX).build().close();
    assertEquals(List.of(1, 2, 3, 4), history(current));
    try (Connection c = current.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + PREFIX + "credentials "
            + "WHERE refresh_token IS NULL AND client_secret IS NULL AND display_name IS NULL")) {
      assertTrue(rs.next());
    }
    // Version 4 interrupted after its head row and its events table: run again, it creates what
    // is missing and keeps the one head row.
    try (Connection c = current.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE " + PREFIX + "audit");
      s.execute("DROP TABLE " + PREFIX + "subscribers");
      s.execute("DELETE FROM " + PREFIX + "schema_history WHERE version = 4");
    }
    try (JdbcVaultStore store = JdbcVaultStore.builder(current).tablePrefix(PREFIX).build()) {
      assertEquals(List.of(1, 2, 3, 4), history(current));
      assertEquals(0, store.lastEventSequence());
      assertEquals(0, store.auditHead().sequence());
      assertTrue(store.readAudit(0, 10).isEmpty());
      assertTrue(store.subscriberPosition("x").isEmpty());
    }
    try (Connection c = current.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + PREFIX + "log_head")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1), "one log head row");
    }
  }
}
