package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.AuditEntry;
import dev.vaultengine.AuditMode;
import dev.vaultengine.AuditVerification;
import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultEvent;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.testkit.NonClosingStore;
import dev.vaultengine.testkit.PlaintextScanner;
import dev.vaultengine.testkit.TestKeys;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Events and the audit trail on every database (issue 17): written in the change's transaction,
 * nothing from a rolled-back one, fail-closed and best-effort audit with the audit table made
 * unwritable, tampering found by {@code verify}, and no secret in either table.
 */
class JdbcLogTest {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String RUN =
      Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));

  @TempDir
  Path dir;

  private final List<Runnable> cleanups = new ArrayList<>();

  static Stream<String> databases() {
    return Stream.of("sqlite", "h2-memory", "h2-file", "postgresql", "mariadb");
  }

  @AfterEach
  void cleanUp() {
    for (int i = cleanups.size() - 1; i >= 0; i--) {
      cleanups.get(i).run();
    }
  }

  /** A fresh store of that kind: the embedded factories, or fresh tables on a server. */
  private JdbcVaultStore open(String db) {
    int n = COUNTER.incrementAndGet();
    return switch (db) {
      case "sqlite" -> EmbeddedStores.sqlite(dir.resolve("sqlite" + n));
      case "h2-memory" -> EmbeddedStores.h2InMemory("log" + RUN + "_" + n);
      case "h2-file" -> EmbeddedStores.h2File(dir.resolve("h2" + n));
      default -> server(db, n, null);
    };
  }

  private JdbcVaultStore server(String db, int n,
      java.util.function.UnaryOperator<DataSource> wrap) {
    DataSource ds = db.equals("postgresql") ? Databases.postgres() : Databases.mariadb();
    String prefix = "lg" + RUN + "_" + n + "_";
    cleanups.add(() -> Databases.dropTables(ds, prefix));
    return JdbcVaultStore.builder(wrap == null ? ds : wrap.apply(ds)).tablePrefix(prefix).build();
  }

  private VaultEngine engine(JdbcVaultStore store, KeyEncryptionKey kek, AuditMode mode) {
    VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).auditMode(mode).build();
    cleanups.add(engine::close);
    return engine;
  }

  private static CreateCredentialRequest bearer(String url, String token) {
    return CreateCredentialRequest.builder().mcpServerUrl(url).protocol(Protocol.SSE)
        .accessToken(token).build();
  }

  private static List<String> types(List<VaultEvent> events) {
    return events.stream().map(e -> e.type().wireName()).toList();
  }

  private static List<String> credentialIds(List<VaultEvent> events) {
    return events.stream().map(e -> e.credentialId().orElse("-")).toList();
  }

  private static List<String> sorted(String... ids) {
    return Stream.of(ids).sorted().toList();
  }

  // ---------------------------------------------------------------- a. same transaction

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void everyChangeWritesItsEventsAndAuditEntryInOrder(String db) {
    JdbcVaultStore store = open(db);
    cleanups.add(store::close);
    VaultEngine engine = engine(store, TestKeys.randomKek(), AuditMode.BEST_EFFORT);
    VaultService svc = engine.forAccount("acct_log", "alice");
    long start = engine.events().lastSequence();
    long auditStart = store.auditHead().sequence();

    CreatedVault created = svc.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(bearer("https://a.example/mcp", "tok_log_a_0001"))
        .addCredential(bearer("https://b.example/mcp", "tok_log_b_0001")).build());
    String v = created.vault().id();
    String a = created.credentials().get(0).id();
    String b = created.credentials().get(1).id();
    svc.updateVault(v, UpdateVaultRequest.builder().displayName("v2").build());
    String c = svc.createCredential(v, bearer("https://c.example/mcp", "tok_log_c_0001")).id();
    svc.updateCredential(v, a, UpdateCredentialRequest.builder(CredentialType.STATIC_BEARER)
        .displayName("A").build());
    String b2 = svc.rotateCredential(v, b, Secret.of("tok_log_b_0002")).id();
    svc.archiveVault(v);
    svc.deleteVault(v);
    // Refusals write an audit entry and no event.
    VaultException gone = assertThrows(VaultException.class, () -> svc.archiveVault(v));
    assertEquals(ErrorType.NOT_FOUND, gone.type());

    List<VaultEvent> events = engine.events().read(start, 1000);
    assertEquals(List.of("vault.created", "vault_credential.created", "vault_credential.created",
        "vault.updated", "vault_credential.created", "vault_credential.updated",
        "vault_credential.archived", "vault_credential.rotated",
        "vault.archived", "vault_credential.archived", "vault_credential.archived",
        "vault_credential.archived",
        "vault.deleted", "vault_credential.deleted", "vault_credential.deleted",
        "vault_credential.deleted", "vault_credential.deleted"), types(events));
    List<String> ids = credentialIds(events);
    assertEquals(List.of("-", a, b, "-", c, a, b, b2), ids.subList(0, 8));
    // The cascades: archive names the active credentials, delete every credential, ascending.
    assertEquals(sorted(a, c, b2), ids.subList(9, 12));
    assertEquals(sorted(a, b, c, b2), ids.subList(13, 17));
    for (int i = 0; i < events.size(); i++) {
      assertEquals(start + 1 + i, events.get(i).sequence(), "gapless, in commit order");
      assertTrue(events.get(i).id().startsWith("evt_"));
      assertEquals(Optional.of("acct_log"), events.get(i).accountId());
    }
    assertEquals(start + events.size(), store.lastEventSequence());

    List<AuditEntry> audit = engine.audit().list(auditStart, 1000);
    assertEquals(List.of("vault.create", "vault.update", "credential.create",
        "credential.update", "credential.rotate", "vault.archive", "vault.delete",
        "vault.archive"), audit.stream().map(AuditEntry::operation).toList());
    assertEquals(List.of("ok", "ok", "ok", "ok", "ok", "ok", "ok", "not_found_error"),
        audit.stream().map(AuditEntry::outcome).toList());
    assertTrue(audit.stream().allMatch(e -> e.actor().equals(Optional.of("alice"))));
    assertEquals(auditStart + audit.size(), store.auditHead().sequence());
    assertTrue(engine.audit().verify().intact(), engine.audit().verify().toString());
  }

  /**
   * The transaction fails at its last step, the log head lock: the change it made before rolls
   * back with it, and nothing is emitted or audited. With every kind of write, on every database.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aChangeRolledBackAtTheHeadLockEmitsNothingAndChangesNothing(String db) {
    AtomicBoolean armed = new AtomicBoolean();
    AtomicInteger faults = new AtomicInteger();
    java.util.function.UnaryOperator<DataSource> faulty = ds -> failingHeadLock(ds, armed, faults);
    int n = COUNTER.incrementAndGet();
    JdbcVaultStore store = switch (db) {
      case "sqlite" -> {
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("faults" + n + ".db"));
        ds.setBusyTimeout(10_000);
        yield JdbcVaultStore.builder(faulty.apply(ds)).build();
      }
      case "h2-memory", "h2-file" -> {
        JdbcConnectionPool pool = JdbcConnectionPool.create(db.equals("h2-memory")
            ? "jdbc:h2:mem:faults" + RUN + n + ";DB_CLOSE_DELAY=-1"
            : "jdbc:h2:" + dir.resolve("faults" + n), "sa", "");
        cleanups.add(pool::dispose);
        yield JdbcVaultStore.builder(faulty.apply(pool)).build();
      }
      default -> server(db, n, faulty);
    };
    cleanups.add(store::close);
    VaultEngine engine = engine(store, TestKeys.randomKek(), AuditMode.BEST_EFFORT);
    VaultService svc = engine.forAccount("acct_fault");

    Consumer<VaultService> create = s -> s.createVault(CreateVaultRequest.builder()
        .displayName("f").addCredential(bearer("https://f.example/mcp", "tok_fault_0001"))
        .build());
    refused(store, svc, armed, "create vault", create);
    create.accept(svc);
    String v = svc.listVaults(null).data().get(0).id();
    String cred = svc.listCredentials(v, null).data().get(0).id();
    refused(store, svc, armed, "update vault",
        s -> s.updateVault(v, UpdateVaultRequest.builder().displayName("f2").build()));
    refused(store, svc, armed, "create credential",
        s -> s.createCredential(v, bearer("https://g.example/mcp", "tok_fault_0002")));
    refused(store, svc, armed, "update credential", s -> s.updateCredential(v, cred,
        UpdateCredentialRequest.builder(CredentialType.STATIC_BEARER).displayName("x").build()));
    refused(store, svc, armed, "rotate", s -> s.rotateCredential(v, cred,
        Secret.of("tok_fault_0003")));
    refused(store, svc, armed, "archive credential", s -> s.archiveCredential(v, cred));
    refused(store, svc, armed, "delete credential", s -> s.deleteCredential(v, cred));
    refused(store, svc, armed, "archive vault", s -> s.archiveVault(v));
    refused(store, svc, armed, "delete vault", s -> s.deleteVault(v));
    refused(store, svc, armed, "rotate data key", s -> engine.keys().rotateDataKey());
    assertEquals(10, faults.get(), "every operation reached the head lock");
    // Disarmed, the same store works and its log continues without a gap.
    svc.archiveVault(v);
    List<VaultEvent> events = engine.events().read(0, 1000);
    assertEquals(List.of("vault.created", "vault_credential.created", "vault.archived",
        "vault_credential.archived"), types(events));
    assertEquals(List.of(1L, 2L, 3L, 4L), events.stream().map(VaultEvent::sequence).toList());
    assertTrue(engine.audit().verify().intact());
  }

  private void refused(JdbcVaultStore store, VaultService svc, AtomicBoolean armed, String what,
      Consumer<VaultService> operation) {
    List<Object> before = state(store, svc);
    armed.set(true);
    try {
      VaultException e = assertThrows(VaultException.class, () -> operation.accept(svc), what);
      assertEquals(ErrorType.API, e.type(), what);
      assertFalse(e.getMessage().contains("injected"), "no driver text reaches the caller");
    } finally {
      armed.set(false);
    }
    assertEquals(before, state(store, svc), what + ": a change rolled back left something");
  }

  /** Every record, the keyset, the event log and the audit trail as stored. */
  private static List<Object> state(JdbcVaultStore store, VaultService svc) {
    List<Object> all = new ArrayList<>();
    for (Vault v : svc.listVaults(ListRequest.builder().limit(100).includeArchived(true)
        .build()).data()) {
      all.add(v);
      all.addAll(svc.listCredentials(v.id(), ListRequest.builder().limit(100)
          .includeArchived(true).build()).data());
    }
    all.add(HexFormat.of().formatHex(store.loadKeyset().orElse(new byte[0])));
    all.add(store.lastEventSequence());
    all.add(store.readEvents(0, 1000));
    all.add(store.auditHead().sequence());
    all.add(store.readAudit(0, 1000).toString());
    return all;
  }

  /**
   * A data source whose connections refuse to prepare the log head lock while {@code armed}: the
   * last statement of a journaled write.
   */
  private static DataSource failingHeadLock(DataSource real, AtomicBoolean armed,
      AtomicInteger faults) {
    return (DataSource) Proxy.newProxyInstance(JdbcLogTest.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, m, args) -> {
          Object result = invoke(real, m, args);
          if (!(result instanceof Connection c)) {
            return result;
          }
          return Proxy.newProxyInstance(JdbcLogTest.class.getClassLoader(),
              new Class<?>[] {Connection.class}, (p, cm, cargs) -> {
                if (cm.getName().equals("unwrap") && cargs[0] == Connection.class) {
                  return p; // a store that unwraps (SQLite's statement cache) still meets the fault
                }
                if (cm.getName().equals("prepareStatement") && armed.get()
                    && cargs[0] instanceof String sql
                    && sql.startsWith("SELECT event_sequence, audit_sequence, audit_mac FROM")) {
                  faults.incrementAndGet();
                  throw new SQLException("injected fault", "08006");
                }
                return invoke(c, cm, cargs);
              });
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * Four writers, each with a store instance of its own on one database (as four host processes
   * would be): the head lock serializes their appends, so the event sequences are gapless, each
   * vault's events are in the order they were made, and the audit chain verifies.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sharedDatabases")
  void concurrentWritersKeepTheLogGaplessAndTheChainIntact(String db) throws Exception {
    int n = COUNTER.incrementAndGet();
    List<JdbcVaultStore> stores = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JdbcVaultStore store = db.equals("sqlite") ? EmbeddedStores.sqlite(dir.resolve("shared"))
          : sharedServer(db, n);
      cleanups.add(store::close);
      stores.add(store);
    }
    KeyEncryptionKey kek = TestKeys.randomKek();
    List<VaultEngine> engines = new ArrayList<>();
    for (JdbcVaultStore store : stores) {
      engines.add(engine(store, kek, AuditMode.FAIL_CLOSED));
    }
    long auditBefore = stores.get(0).auditHead().sequence();
    int perWriter = 20;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        VaultService svc = engines.get(w).forAccount("acct_w" + w);
        int writer = w;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perWriter; i++) {
            String v = svc.createVault(CreateVaultRequest.builder().displayName("w" + i)
                .addCredential(bearer("https://a.example/" + writer + "/" + i, "tok_conc_a_" + i))
                .addCredential(bearer("https://b.example/" + writer + "/" + i, "tok_conc_b_" + i))
                .build()).vault().id();
            svc.updateVault(v, UpdateVaultRequest.builder().displayName("w" + i + "'").build());
          }
          return null;
        }));
      }
      for (var f : done) {
        f.get(120, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<VaultEvent> events = new ArrayList<>();
    for (long after = 0; ; ) {
      List<VaultEvent> page = engines.get(0).events().read(after, 1000);
      if (page.isEmpty()) {
        break;
      }
      events.addAll(page);
      after = page.get(page.size() - 1).sequence();
    }
    assertEquals(4 * perWriter * 4, events.size());
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).sequence(), "gapless");
    }
    // Per vault: created, its two credentials, then updated, in that order.
    java.util.Map<String, List<String>> byVault = new java.util.HashMap<>();
    for (VaultEvent e : events) {
      byVault.computeIfAbsent(e.vaultId().orElseThrow(), k -> new ArrayList<>())
          .add(e.type().wireName());
    }
    assertEquals(4 * perWriter, byVault.size());
    for (List<String> types : byVault.values()) {
      assertEquals(List.of("vault.created", "vault_credential.created",
          "vault_credential.created", "vault.updated"), types);
    }
    AuditVerification verified = engines.get(1).audit().verify();
    assertTrue(verified.intact(), verified.toString());
    assertEquals(auditBefore + 4 * perWriter * 2, verified.headSequence());
  }

  static Stream<String> sharedDatabases() {
    return Stream.of("sqlite", "postgresql", "mariadb");
  }

  /** Another store on the tables of test {@code n} (the same prefix). */
  private JdbcVaultStore sharedServer(String db, int n) {
    DataSource ds = db.equals("postgresql") ? Databases.postgres() : Databases.mariadb();
    String prefix = "lg" + RUN + "_" + n + "_";
    cleanups.add(() -> Databases.dropTables(ds, prefix));
    return JdbcVaultStore.builder(ds).tablePrefix(prefix).build();
  }

  // ---------------------------------------------------------------- b. fail-closed

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void withTheAuditTableUnwritableFailClosedRefusesAndBestEffortGoesOn(String db) {
    JdbcVaultStore store = open(db);
    cleanups.add(store::close);
    KeyEncryptionKey kek = TestKeys.randomKek();
    VaultEngine closedEngine = engine(store, kek, AuditMode.FAIL_CLOSED);
    VaultService svc = closedEngine.forAccount("acct_fc");
    CreatedVault created = svc.createVault(CreateVaultRequest.builder().displayName("fc")
        .addCredential(bearer("https://a.example/mcp", "tok_fc_a_0001")).build());
    String v = created.vault().id();
    String cred = created.credentials().get(0).id();
    store.jdbi().useHandle(h -> h.execute("ALTER TABLE <prefix>audit RENAME TO <prefix>audit_off"));
    try {
      List<Object> before = stateWithoutAudit(store, svc);
      long events = store.lastEventSequence();
      List<Consumer<VaultService>> operations = List.of(
          s -> s.createVault(CreateVaultRequest.builder().displayName("fc2")
              .addCredential(bearer("https://b.example/mcp", "tok_fc_b_0001")).build()),
          s -> s.createCredential(v, bearer("https://c.example/mcp", "tok_fc_c_0001")),
          s -> s.updateVault(v, UpdateVaultRequest.builder().displayName("fc3").build()),
          s -> s.rotateCredential(v, cred, Secret.of("tok_fc_a_0002")),
          s -> s.archiveVault(v),
          s -> s.deleteVault(v));
      for (Consumer<VaultService> op : operations) {
        VaultException e = assertThrows(VaultException.class, () -> op.accept(svc));
        assertEquals(ErrorType.API, e.type());
        assertFalse(e.getMessage().contains("audit_off"), "no SQL text reaches the caller");
        assertEquals(before, stateWithoutAudit(store, svc), "fail-closed changed something");
        assertEquals(events, store.lastEventSequence(), "no event");
      }

      // The default, best-effort: the same operations go ahead with their events, and the
      // engine counts the entries it could not write.
      VaultEngine bestEffort = engine(store, kek, AuditMode.BEST_EFFORT);
      VaultService be = bestEffort.forAccount("acct_fc");
      for (Consumer<VaultService> op : operations) {
        op.accept(be);
      }
      assertEquals(6, bestEffort.audit().failures());
      assertEquals(List.of("vault.created", "vault_credential.created",
          "vault_credential.created", "vault.updated", "vault_credential.archived",
          "vault_credential.rotated", "vault.archived", "vault_credential.archived",
          "vault_credential.archived", "vault.deleted", "vault_credential.deleted",
          "vault_credential.deleted", "vault_credential.deleted"),
          types(bestEffort.events().read(events, 1000)));
      assertEquals(1, be.listVaults(null).data().size(), "fc2 stays, v is gone");
    } finally {
      store.jdbi().useHandle(h -> h.execute(
          "ALTER TABLE <prefix>audit_off RENAME TO <prefix>audit"));
    }
    // Back in place: the trail is intact (the entries not written are simply absent: the
    // head was not moved for them).
    assertTrue(closedEngine.audit().verify().intact(), closedEngine.audit().verify().toString());
  }

  /**
   * An audit entry that cannot be written is logged with the operation's name, why, and what
   * happened to the operation: "went ahead" for a change, "refused all the same" for a request
   * refused before the store (whose entry is all that was attempted).
   */
  @Test
  void anEntryNotWrittenIsLoggedWithItsOperationItsCauseAndWhatHappened() {
    JdbcVaultStore store = open("h2-memory");
    cleanups.add(store::close);
    VaultEngine engine = engine(store, TestKeys.randomKek(), AuditMode.BEST_EFFORT);
    VaultService svc = engine.forAccount("acct_log");
    java.util.logging.Logger journals =
        java.util.logging.Logger.getLogger("dev.vaultengine.internal.Journals");
    List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        logged.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    journals.addHandler(handler);
    store.jdbi().useHandle(h -> h.execute("ALTER TABLE <prefix>audit RENAME TO <prefix>audit_off"));
    try {
      svc.createVault(CreateVaultRequest.builder().displayName("ok")
          .addCredential(bearer("https://a.example/mcp", "tok_log_a_0001")).build());
      VaultException refused = assertThrows(VaultException.class,
          () -> svc.createVault(CreateVaultRequest.builder().displayName("x".repeat(300))
              .build()));
      assertEquals(ErrorType.INVALID_REQUEST, refused.type());
    } finally {
      journals.removeHandler(handler);
      store.jdbi().useHandle(h -> h.execute(
          "ALTER TABLE <prefix>audit_off RENAME TO <prefix>audit"));
    }
    assertTrue(logged.stream().anyMatch(m -> m.startsWith("audit entry for vault.create could "
        + "not be written (") && m.endsWith("); the operation went ahead (best-effort audit)")),
        logged.toString());
    assertTrue(logged.stream().anyMatch(m -> m.startsWith("audit entry for vault.create could "
        + "not be written (") && m.endsWith("); the operation was refused all the same "
        + "(best-effort audit)")), logged.toString());
    assertTrue(logged.stream().noneMatch(m -> m.contains("audit entry for append")),
        logged.toString());
    assertTrue(logged.stream().noneMatch(m -> m.contains("tok_log")), logged.toString());
  }

  /** {@link #state} without the audit table, which is renamed away. */
  private static List<Object> stateWithoutAudit(JdbcVaultStore store, VaultService svc) {
    List<Object> all = new ArrayList<>();
    for (Vault v : svc.listVaults(ListRequest.builder().limit(100).includeArchived(true)
        .build()).data()) {
      all.add(v);
      all.addAll(svc.listCredentials(v.id(), ListRequest.builder().limit(100)
          .includeArchived(true).build()).data());
    }
    all.add(HexFormat.of().formatHex(store.loadKeyset().orElse(new byte[0])));
    all.add(store.lastEventSequence());
    all.add(store.readEvents(0, 1000));
    all.add(store.auditHead().sequence());
    return all;
  }

  // ---------------------------------------------------------------- c. tampering

  /** One way of tampering, and the entry verify must name (0: it must pass). */
  private record Tamper(String name, long firstBroken, Consumer<JdbcVaultStore> apply,
      String says) {
    Tamper(String name, long firstBroken, Consumer<JdbcVaultStore> apply) {
      this(name, firstBroken, apply, "");
    }
  }

  private static List<Tamper> tampers() {
    return List.of(
        new Tamper("deleted", 10, s -> sql(s, "DELETE FROM <prefix>audit WHERE sequence = 10")),
        new Tamper("altered", 7, s -> sql(s,
            "UPDATE <prefix>audit SET outcome = 'not_found_error' WHERE sequence = 7")),
        new Tamper("inserted", 12, s -> {
          // Entries 12.. move up one place and a forged entry takes place 12, with entry 11's
          // MAC (any MAC: without the key none fits).
          sql(s, "UPDATE <prefix>audit SET sequence = sequence + 1000 WHERE sequence >= 12");
          sql(s, "UPDATE <prefix>audit SET sequence = sequence - 999 WHERE sequence >= 1000");
          AuditRow eleven = s.readAudit(10, 1).get(0);
          s.jdbi().useHandle(h -> h.createUpdate("INSERT INTO <prefix>audit (sequence, at, "
                  + "account_id, actor, operation, vault_id, credential_id, outcome, secrets, "
                  + "detail, mac) VALUES (12, :at, 'acct_t', 'mallory', 'vault.delete', NULL, "
                  + "NULL, 'ok', NULL, NULL, :mac)")
              .bind("at", eleven.at().getEpochSecond() * 1_000_000L).bind("mac", eleven.mac())
              .execute());
        }),
        new Tamper("reordered", 5, s -> {
          sql(s, "UPDATE <prefix>audit SET sequence = -5 WHERE sequence = 5");
          sql(s, "UPDATE <prefix>audit SET sequence = 5 WHERE sequence = 6");
          sql(s, "UPDATE <prefix>audit SET sequence = 6 WHERE sequence = -5");
        }),
        new Tamper("tail cut, head kept", 18,
            s -> sql(s, "DELETE FROM <prefix>audit WHERE sequence > 17")),
        // Past the head: a forged entry far beyond it is named by its own sequence, and one
        // given the next sequence with a MAC copied from elsewhere is an insertion too.
        new Tamper("inserted past the head", 99, s -> insertCopyOf(s, 20, 99),
            "entry 99 follows the stored head (entry 20) and does not chain to it: it was "
                + "inserted"),
        new Tamper("inserted right after the head", 21, s -> insertCopyOf(s, 20, 21),
            "it was inserted"),
        new Tamper("head rolled back, entry kept", 20, s -> {
          byte[] mac19 = s.readAudit(18, 1).get(0).mac();
          s.jdbi().useHandle(h -> h.createUpdate("UPDATE <prefix>log_head SET "
              + "audit_sequence = 19, audit_mac = :mac WHERE id = 1").bind("mac", mac19)
              .execute());
        }, "entry 20 follows it and chains to it: the head was rolled back"));
  }

  /** Inserts entry {@code from}'s fields and MAC again as entry {@code as}. */
  private static void insertCopyOf(JdbcVaultStore s, long from, long as) {
    sql(s, "INSERT INTO <prefix>audit (sequence, at, account_id, actor, operation, vault_id, "
        + "credential_id, outcome, secrets, detail, mac) SELECT " + as + ", at, account_id, "
        + "actor, operation, vault_id, credential_id, outcome, secrets, detail, mac FROM "
        + "<prefix>audit WHERE sequence = " + from);
  }

  private static void sql(JdbcVaultStore s, String statement) {
    s.jdbi().useHandle(h -> h.execute(statement));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void verifyNamesTheFirstTamperedEntry(String db) {
    KeyEncryptionKey kek = TestKeys.randomKek();
    List<String> found = new ArrayList<>();
    for (Tamper t : tampers()) {
      JdbcVaultStore store = open(db);
      cleanups.add(store::close);
      VaultEngine engine = trailOfTwenty(store, kek);
      AuditVerification before = engine.audit().verify();
      assertTrue(before.intact(), before.toString());
      assertEquals(20, before.entries());
      t.apply().accept(store);
      AuditVerification after = engine.audit().verify();
      assertFalse(after.intact(), t.name() + ": " + after);
      assertEquals(t.firstBroken(), after.firstBroken().orElseThrow(), t.name() + ": " + after);
      assertTrue(after.problem().orElseThrow().contains(t.says()), t.name() + ": " + after);
      found.add(t.name() + "@" + after.firstBroken().getAsLong());
    }

    // The tail cut off and the head rolled back with it to the new last entry: the chain and
    // the head agree again, so verify cannot see it. Only an anchor kept outside the database
    // (the head sequence and MAC an earlier verify reported) shows it.
    JdbcVaultStore store = open(db);
    cleanups.add(store::close);
    VaultEngine engine = trailOfTwenty(store, kek);
    AuditVerification anchor = engine.audit().verify();
    sql(store, "DELETE FROM <prefix>audit WHERE sequence > 17");
    byte[] mac17 = store.readAudit(16, 1).get(0).mac();
    store.jdbi().useHandle(h -> h.createUpdate("UPDATE <prefix>log_head SET audit_sequence = 17, "
        + "audit_mac = :mac WHERE id = 1").bind("mac", mac17).execute());
    AuditVerification rolledBack = engine.audit().verify();
    assertTrue(rolledBack.intact(), "undetectable from inside the database: " + rolledBack);
    assertEquals(17, rolledBack.entries());
    assertEquals(17, rolledBack.headSequence());
    assertEquals(20, anchor.headSequence());
    assertFalse(anchor.headMac().equals(rolledBack.headMac()), "the outside anchor differs");
    AuditVerification anchored = engine.audit().verify(anchor.headSequence(), anchor.headMac());
    assertFalse(anchored.intact(), "the anchor finds the rollback: " + anchored);
    assertEquals(18, anchored.firstBroken().orElseThrow());
    AuditVerification anchoredBefore = engine.audit().verify(17, rolledBack.headMac());
    assertTrue(anchoredBefore.intact(), "an anchor still in the trail passes");
    System.out.println("AUDIT-TAMPER db=" + db + " found=" + found
        + " tail+head-rollback: intact=" + rolledBack.intact() + " entries="
        + rolledBack.entries() + " head=" + rolledBack.headSequence() + " (anchor head "
        + anchor.headSequence() + ")");
  }

  /** An engine over {@code store} whose trail holds exactly 20 entries. */
  private VaultEngine trailOfTwenty(JdbcVaultStore store, KeyEncryptionKey kek) {
    VaultEngine engine = engine(store, kek, AuditMode.BEST_EFFORT);
    VaultService svc = engine.forAccount("acct_t", "bob");
    String v = svc.createVault(CreateVaultRequest.builder().displayName("t0")
        .addCredential(bearer("https://t.example/mcp", "tok_tamper_0001")).build()).vault().id();
    for (int i = 1; store.auditHead().sequence() < 20; i++) {
      svc.updateVault(v, UpdateVaultRequest.builder().displayName("t" + i).build());
    }
    assertEquals(20, store.auditHead().sequence());
    return engine;
  }

  // ---------------------------------------------------------------- d. no secret

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void noSecretInTheEventsOrAuditTables(String db) throws Exception {
    JdbcVaultStore store = open(db);
    cleanups.add(store::close);
    VaultEngine engine = engine(store, TestKeys.randomKek(), AuditMode.BEST_EFFORT);
    VaultService svc = engine.forAccount("acct_secret", "carol");
    String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
    List<String> secrets = List.of("tok-bearer-" + suffix, "tok-oauth-access-" + suffix,
        "tok-oauth-refresh-" + suffix, "tok-oauth-client-" + suffix, "env-value-" + suffix,
        "tok-bearer-rotated-" + suffix, "tok-oauth-access-2-" + suffix,
        "env-value-2-" + suffix);
    CreatedVault created = svc.createVault(CreateVaultRequest.builder().displayName("s")
        .addCredential(bearer("https://s.example/mcp", secrets.get(0)))
        .addCredential(CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
            .mcpServerUrl("https://o.example/mcp").protocol(Protocol.SSE)
            .accessToken(secrets.get(1))
            .expiresAt(Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
            .refresh(new OAuthRefreshRequest("https://auth.example.com/token", "client-1",
                "repo", null, Secret.of(secrets.get(2)),
                TokenEndpointAuth.basic(Secret.of(secrets.get(3))))).build())
        .addCredential(CreateCredentialRequest.builder()
            .type(CredentialType.ENVIRONMENT_VARIABLE).secretName("API_KEY")
            .secretValue(Secret.of(secrets.get(4)))
            .networking(Networking.limited(List.of("api.example.com")))
            .injectionLocation(new InjectionLocation(true, false)).build())
        .build());
    String v = created.vault().id();
    List<Credential> creds = created.credentials();
    svc.rotateCredential(v, creds.get(0).id(), Secret.of(secrets.get(5)));
    svc.updateCredential(v, creds.get(1).id(), UpdateCredentialRequest
        .builder(CredentialType.MCP_OAUTH).accessToken(secrets.get(6)).build());
    svc.updateCredential(v, creds.get(2).id(), UpdateCredentialRequest
        .builder(CredentialType.ENVIRONMENT_VARIABLE).secretValue(Secret.of(secrets.get(7)))
        .build());
    assertTrue(svc.openSession(List.of(v)).resolve("https://o.example/mcp").isPresent());
    svc.archiveCredential(v, creds.get(1).id());

    byte[] dump = tableBytes(store, "events");
    byte[] audit = tableBytes(store, "audit");
    PlaintextScanner scanner = new PlaintextScanner(secrets);
    assertEquals(List.of(), scanner.findIn(dump), "events table");
    assertEquals(List.of(), scanner.findIn(audit), "audit table");
    // The scan works (a secret in those bytes would be found), and the trail does hold the
    // secrets, as HMACs an operator can look for.
    assertFalse(scanner.findIn(("x" + secrets.get(3) + "y").getBytes(StandardCharsets.UTF_8))
        .isEmpty());
    for (String s : secrets) {
      assertFalse(engine.audit().find(Secret.of(s)).isEmpty(), "an entry holds the HMAC of "
          + secrets.indexOf(s));
    }
    assertTrue(dump.length > 0 && audit.length > 0);
  }

  /** Every column of every row of a log table, as text and as bytes where the driver has them. */
  private static byte[] tableBytes(JdbcVaultStore store, String table) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.jdbi().useHandle(h -> {
      Connection c = h.getConnection();
      String name = store.tablePrefix() + table;
      try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + name)) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= columns; i++) {
            String text = rs.getString(i);
            if (text != null) {
              out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            }
            Object value = rs.getObject(i);
            if (value instanceof byte[] bytes) {
              out.writeBytes(bytes);
            }
            out.write('\n');
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    return out.toByteArray();
  }

  // ---------------------------------------------------------------- the log methods

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void subscriberPositionsAndPurge(String db) {
    JdbcVaultStore store = open(db);
    cleanups.add(store::close);
    VaultEngine engine = engine(store, TestKeys.randomKek(), AuditMode.BEST_EFFORT);
    VaultService svc = engine.forAccount("acct_purge");
    for (int i = 0; i < 3; i++) {
      svc.createVault(CreateVaultRequest.builder().displayName("p" + i)
          .addCredential(bearer("https://p.example/mcp", "tok_purge_000" + i)).build());
    }
    assertEquals(6, store.lastEventSequence());
    assertTrue(store.subscriberPosition("s1").isEmpty());
    store.saveSubscriberPosition("s1", 2);
    store.saveSubscriberPosition("s2", 4);
    store.saveSubscriberPosition("s1", 3);
    assertEquals(3, store.subscriberPosition("s1").getAsLong());
    Instant future = Instant.now().plusSeconds(60);
    assertEquals(0, store.purgeEvents(Instant.EPOCH), "none older than the epoch");
    assertEquals(3, store.purgeEvents(future), "up to the lowest position, 3");
    assertEquals(4, store.readEvents(0, 10).get(0).sequence());
    assertTrue(store.deleteSubscriber("s1"));
    assertFalse(store.deleteSubscriber("s1"));
    assertEquals(1, store.purgeEvents(future), "up to s2's position, 4");
    assertTrue(store.deleteSubscriber("s2"));
    assertEquals(2, store.purgeEvents(future), "no subscribers: every old event");
    assertEquals(List.of(), store.readEvents(0, 10));
    assertEquals(6, store.lastEventSequence(), "purged events keep their numbers");
    svc.createVault(CreateVaultRequest.builder().displayName("p3")
        .addCredential(bearer("https://p.example/mcp", "tok_purge_0003")).build());
    assertEquals(7, store.readEvents(0, 10).get(0).sequence());
  }
}
