package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.AuditMode;
import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.ErrorType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.testkit.RecordingStore;
import dev.vaultengine.testkit.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One SQLite file used by several stores, plain connections and another process at once: the
 * change count sees every commit and nothing else, a session follows writes made elsewhere at its
 * next resolve while answering repeats without a store read, a write lock held past the wait is an
 * {@code api_error} that names it, and the files stay owner-only.
 */
class SqliteSharedFileTest {
  private static final String URL = "https://mcp.example/sse";

  @TempDir
  Path dir;

  private Connection plain() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("vault.db").toAbsolutePath());
  }

  private static CreateVaultRequest vault(String token) {
    return CreateVaultRequest.builder().displayName("v")
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl(URL).protocol(Protocol.SSE)
            .accessToken(token).build()).build();
  }

  @Test
  void theChangeCountMovesAtEveryCommitOfAnyConnectionOrProcessAndOnlyThen() throws Exception {
    KeyEncryptionKey kek = TestKeys.randomKek();
    try (JdbcVaultStore mine = EmbeddedStores.sqlite(dir);
        VaultEngine other = VaultEngine.builder()
            .store(EmbeddedStores.sqlite(dir, Durability.SURVIVES_PROCESS_KILL))
            .keyEncryptionKey(kek).build();
        Connection plain = plain();
        Statement sql = plain.createStatement()) {
      long start = mine.changeCount();
      assertTrue(start >= 0, "the SQLite store reports a change count");

      CreatedVault v = other.forAccount("acct").createVault(vault("tok-1"));
      long afterCreate = mine.changeCount();
      assertNotEquals(start, afterCreate, "a commit by another store on the file");

      // Reads by every party change nothing.
      mine.findVault("acct", v.vault().id());
      other.forAccount("acct").listVaults(null);
      sql.executeQuery("SELECT COUNT(*) FROM ve_vaults").close();
      Thread.sleep(20);
      assertEquals(afterCreate, mine.changeCount(), "reads are no change");

      sql.executeUpdate("CREATE TABLE test_writes (k INTEGER PRIMARY KEY, v INTEGER)");
      sql.executeUpdate("INSERT INTO test_writes VALUES (1, 0)");
      long afterPlain = mine.changeCount();
      assertNotEquals(afterCreate, afterPlain, "a commit by a plain connection");

      // Another process that only reads must leave the count alone: it must find this process
      // attached to the WAL index, not take itself for the first user and rebuild the index.
      assertEquals("1", SqliteOtherProcess.run(dir.resolve("vault.db"),
          "SELECT COUNT(*) FROM ve_vaults"));
      assertEquals(afterPlain, mine.changeCount(), "another process only read");
      SqliteOtherProcess.run(dir.resolve("vault.db"), "UPDATE test_writes SET v = -1");
      long afterProcess = mine.changeCount();
      assertNotEquals(afterPlain, afterProcess, "a commit by another process");

      // Many commits, the log checkpointed and restarted on the way: every one moves the count
      // to a value it never had before; a checkpoint alone may move it too, and then it rests.
      sql.execute("PRAGMA synchronous = OFF"); // this connection only: a fast loop
      Set<Long> seen = new HashSet<>(List.of(start, afterCreate, afterPlain, afterProcess));
      int restarts = 0;
      long previous = afterProcess;
      for (int i = 1; i <= 3_000; i++) {
        sql.executeUpdate("UPDATE test_writes SET v = " + i);
        long now = mine.changeCount();
        assertTrue(seen.add(now), "write " + i + " left the count at an earlier value " + now);
        if ((now & 0xffffffffL) < (previous & 0xffffffffL)) {
          restarts++; // the log's last frame went back: it was checkpointed and restarted
        }
        previous = now;
        if (i % 1_500 == 0) { // besides SQLite's own checkpoints every 1,000 frames
          sql.execute("PRAGMA wal_checkpoint(TRUNCATE)");
          long rested = mine.changeCount();
          seen.add(rested);
          Thread.sleep(20);
          assertEquals(rested, mine.changeCount(), "nothing written after the checkpoint " + i);
          if ((rested & 0xffffffffL) < (previous & 0xffffffffL)) {
            restarts++;
          }
          previous = rested;
        }
      }
      assertTrue(restarts >= 3, "the log was restarted " + restarts + " times");
      assertEquals(previous, mine.changeCount(), "nothing written since the last commit");
    }
  }

  @Test
  void closingOneStoreOfThisJvmLeavesTheOthersAttachedToTheWalIndex() throws Exception {
    try (JdbcVaultStore mine = EmbeddedStores.sqlite(dir)) {
      VaultEngine.builder().store(mine).keyEncryptionKey(TestKeys.randomKek()).build()
          .forAccount("acct").createVault(vault("tok-1"));
      for (int i = 0; i < 3; i++) {
        EmbeddedStores.sqlite(dir.getParent().resolve(dir.getFileName())).close();
      }
      long before = mine.changeCount();
      assertEquals("1", SqliteOtherProcess.run(dir.resolve("vault.db"),
          "SELECT COUNT(*) FROM ve_vaults"));
      assertEquals(before, mine.changeCount(),
          "another process only read: it found this JVM still attached to the index");
    }
  }

  @Test
  void aSessionFollowsWritesOfAnotherStoreAndReadsNothingWhileNothingWasWritten() {
    KeyEncryptionKey kek = TestKeys.randomKek();
    RecordingStore reading = new RecordingStore(EmbeddedStores.sqlite(dir));
    try (VaultEngine here = VaultEngine.builder().store(reading).keyEncryptionKey(kek).build();
        VaultEngine there = VaultEngine.builder().store(EmbeddedStores.sqlite(dir))
            .keyEncryptionKey(kek).build()) {
      VaultService mine = here.forAccount("acct");
      VaultService theirs = there.forAccount("acct");
      CreatedVault v = mine.createVault(vault("tok-first"));
      String vaultId = v.vault().id();
      VaultSession session = mine.openSession(List.of(vaultId));
      String first = session.resolve(URL).orElseThrow().credentialId();

      long reads = reading.reads();
      for (int i = 0; i < 100; i++) {
        assertEquals(first, session.resolve(URL).orElseThrow().credentialId());
      }
      assertEquals(reads, reading.reads(), "100 repeated resolves, nothing written: no store read");

      String second = theirs.rotateCredential(vaultId, first, Secret.of("tok-second")).id();
      ResolvedCredential r = session.resolve(URL).orElseThrow();
      assertEquals(second, r.credentialId(), "rotation by another store");
      assertTrue(r.accessToken().sameAs(Secret.of("tok-second")));
      reads = reading.reads();
      session.resolve(URL);
      assertEquals(reads, reading.reads(), "and quiet again");

      theirs.archiveCredential(vaultId, second);
      assertEquals(Optional.empty(), session.resolve(URL), "archive by another store");
      Credential third = theirs.createCredential(vaultId, CreateCredentialRequest.builder()
          .mcpServerUrl(URL).protocol(Protocol.SSE).accessToken("tok-third").build());
      assertTrue(session.resolve(URL).orElseThrow().accessToken().sameAs(Secret.of("tok-third")),
          "a new credential for the URL, from another store");
      theirs.deleteCredential(vaultId, third.id());
      assertEquals(Optional.empty(), session.resolve(URL), "delete by another store");
      reads = reading.reads();
      assertEquals(Optional.empty(), session.resolve(URL));
      assertEquals(reads, reading.reads(), "a remembered 'nothing' costs no read either");
    }
  }

  @Test
  void aWriteLockHeldPastTheWaitIsAnApiErrorNamingItReadsAndOpeningGoOnAndTheStoreWorksAfterwards()
      throws Exception {
    Duration wait = Duration.ofMillis(300);
    KeyEncryptionKey kek = TestKeys.randomKek();
    try (VaultEngine engine = VaultEngine.builder()
            .store(EmbeddedStores.sqlite(dir, Durability.SURVIVES_POWER_LOSS, wait))
            .keyEncryptionKey(kek).build();
        Connection holder = plain();
        Statement sql = holder.createStatement()) {
      VaultService vaults = engine.forAccount("acct");
      CreatedVault v = vaults.createVault(vault("tok-1"));
      VaultSession session = vaults.openSession(List.of(v.vault().id()));

      sql.execute("BEGIN IMMEDIATE"); // another connection takes the write lock and keeps it
      long started = System.nanoTime();
      VaultException e = assertThrows(VaultException.class,
          () -> vaults.createVault(vault("tok-2")));
      long waitedMs = (System.nanoTime() - started) / 1_000_000;
      assertEquals(ErrorType.API, e.type());
      assertTrue(e.getMessage().startsWith("The SQLite database "
          + dir.resolve("vault.db").toAbsolutePath().normalize() + " is locked: "), e.getMessage());
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertTrue(!(t instanceof SQLException) && !t.getClass().getName().startsWith("org.jdbi"),
            "no driver exception reaches the caller: " + t);
      }
      assertTrue(waitedMs >= 250 && waitedMs < 5_000, "waited " + waitedMs + " ms");
      assertTrue(session.resolve(URL).orElseThrow().accessToken().sameAs(Secret.of("tok-1")),
          "reads go on while another connection holds the write lock");
      // Another engine opened on the file now (a CLI command while a host writes) needs no
      // write lock for a schema that is up to date: it reads, and only its writes wait.
      try (VaultEngine reader = VaultEngine.builder()
          .store(EmbeddedStores.sqlite(dir, Durability.SURVIVES_POWER_LOSS, wait))
          .keyEncryptionKey(kek).build()) {
        VaultService other = reader.forAccount("acct");
        assertEquals(1, other.listVaults(null).data().size());
        assertTrue(other.openSession(List.of(v.vault().id())).resolve(URL).orElseThrow()
            .accessToken().sameAs(Secret.of("tok-1")));
        VaultException writing = assertThrows(VaultException.class,
            () -> other.createVault(vault("tok-4")));
        assertEquals(ErrorType.API, writing.type());
        assertTrue(writing.getMessage().contains(" is locked: "), writing.getMessage());
      }

      sql.execute("ROLLBACK");
      CreatedVault after = vaults.createVault(vault("tok-3"));
      assertEquals(2, vaults.listVaults(null).data().size());
      assertTrue(vaults.openSession(List.of(after.vault().id())).resolve(URL).orElseThrow()
          .accessToken().sameAs(Secret.of("tok-3")), "the store works again");
    }
  }

  /**
   * The create runs on plain JDBC (no Jdbi handle), in autocommit without a log and in a
   * transaction of its own with one: a busy database and a duplicate URL must come out of both as
   * from every other write. A create refused as busy leaves no row, event or audit entry behind;
   * a duplicate leaves no row or event, and the trail records it as a conflict.
   */
  @ParameterizedTest(name = "log {0}")
  @ValueSource(booleans = {false, true})
  void aCreateReportsALockedDatabaseAndADuplicateUrlAsEveryWriteDoes(boolean log)
      throws Exception {
    Duration wait = Duration.ofMillis(300);
    try (VaultEngine engine = VaultEngine.builder()
            .store(EmbeddedStores.sqlite(dir, Durability.SURVIVES_POWER_LOSS, wait))
            .keyEncryptionKey(TestKeys.randomKek()).events(log)
            .auditMode(log ? AuditMode.FAIL_CLOSED : AuditMode.OFF)
            .build();
        Connection holder = plain();
        Statement sql = holder.createStatement()) {
      VaultService vaults = engine.forAccount("acct");
      String vaultId = vaults.createVault(vault("tok-1")).vault().id();
      CreateCredentialRequest other = CreateCredentialRequest.builder()
          .mcpServerUrl("https://other.example/mcp").protocol(Protocol.SSE).accessToken("tok-2")
          .build();

      sql.execute("BEGIN IMMEDIATE");
      VaultException busy = assertThrows(VaultException.class,
          () -> vaults.createCredential(vaultId, other));
      assertEquals(ErrorType.API, busy.type());
      assertTrue(busy.getMessage().contains(" is locked: "), busy.getMessage());
      for (Throwable t = busy; t != null; t = t.getCause()) {
        assertTrue(!(t instanceof SQLException) && !t.getClass().getName().startsWith("org.jdbi"),
            "no driver exception reaches the caller: " + t);
      }
      sql.execute("ROLLBACK");

      VaultException duplicate = assertThrows(VaultException.class,
          () -> vaults.createCredential(vaultId, CreateCredentialRequest.builder()
              .mcpServerUrl(URL).protocol(Protocol.SSE).accessToken("tok-3").build()));
      assertEquals(ErrorType.CONFLICT, duplicate.type(), "a duplicate URL, as the seeds say");
      vaults.createCredential(vaultId, other);
      assertEquals(2, vaults.listCredentials(vaultId, null).data().size());
      if (log) {
        // vault.created and its credential's event, then the one create that went through. The
        // trail: the refused duplicate is recorded as a conflict; the busy create left nothing
        // (fail-closed: its entry could not be written while the lock was held either).
        assertEquals(List.of("vault.created", "vault_credential.created",
            "vault_credential.created"), engine.events().read(0, 100).stream()
            .map(e -> e.type().wireName()).toList());
        assertEquals(List.of("keyset.create ok", "vault.create ok",
            "credential.create conflict_error", "credential.create ok"),
            engine.audit().list(0, 100).stream()
            .map(e -> e.operation() + " " + e.outcome()).toList());
        assertTrue(engine.audit().verify().intact(), engine.audit().verify().toString());
      }
    }
  }

  @Test
  void theDatabaseAndItsLogAndIndexAreOwnerOnly() throws Exception {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    KeyEncryptionKey kek = TestKeys.randomKek();
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.sqlite(dir))
        .keyEncryptionKey(kek).build()) {
      VaultService vaults = engine.forAccount("acct");
      for (int i = 0; i < 20; i++) {
        vaults.createVault(vault("tok-" + i));
      }
      try (Connection c = plain(); Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      vaults.createVault(vault("tok-after-checkpoint"));
      for (String name : List.of("vault.db", "vault.db-wal", "vault.db-shm")) {
        Path f = dir.resolve(name);
        assertTrue(Files.exists(f), name + " exists while the store is open");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
            name);
      }
    }
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("vault.db"))), "vault.db after close");
  }
}
