package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.ErrorType;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.testkit.TestKeys;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults in the middle of multi-row changes: the k-th SQL statement of an operation fails, for
 * every k, and the operation must fail as an api_error and leave nothing half-done.
 */
class FaultInjectionTest {
  private JdbcConnectionPool pool;
  private VaultEngine engine;
  private VaultService vaults;
  private final AtomicInteger countdown = new AtomicInteger(-1);
  private int faults;

  /** Wraps every statement so that the statement at which the countdown hits zero fails. */
  private DataSource faulty(DataSource real) {
    return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, m, args) -> {
          Object result = invoke(real, m, args);
          return result instanceof Connection c ? wrap(c, Connection.class) : result;
        });
  }

  private Object wrap(Object target, Class<?> type) {
    InvocationHandler h = (proxy, m, args) -> {
      String name = m.getName();
      if (target instanceof Statement && name.startsWith("execute")
          && countdown.get() >= 0 && countdown.decrementAndGet() == -1) {
        faults++;
        throw new SQLException("injected fault", "08006");
      }
      Object result = invoke(target, m, args);
      if (result instanceof java.sql.PreparedStatement ps) {
        return wrap(ps, java.sql.PreparedStatement.class);
      }
      if (result instanceof Statement s) {
        return wrap(s, Statement.class);
      }
      return result;
    };
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @BeforeEach
  void open() {
    pool = JdbcConnectionPool.create("jdbc:h2:mem:faults;DB_CLOSE_DELAY=-1", "sa", "");
    engine = VaultEngine.builder().store(JdbcVaultStore.builder(faulty(pool)).build())
        .keyEncryptionKey(TestKeys.randomKek()).build();
    vaults = engine.forAccount("faults");
  }

  @AfterEach
  void close() throws Exception {
    engine.close();
    try (var c = pool.getConnection(); var s = c.createStatement()) {
      s.execute("DROP ALL OBJECTS");
    }
    pool.dispose();
  }

  private List<Object> state() {
    List<Object> all = new ArrayList<>();
    for (Vault v : vaults.listVaults(ListRequest.builder().limit(100).includeArchived(true)
        .build()).data()) {
      all.add(v);
      all.addAll(vaults.listCredentials(v.id(), ListRequest.builder().limit(100)
          .includeArchived(true).build()).data());
    }
    all.add(engine.keys().status());
    // The log too: a change rolled back by a fault emits no event and leaves no audit entry of
    // a change. (A fault in a read before the write is an operation the engine refused: it
    // records that attempt as an api_error entry, which is not a change.)
    all.addAll(engine.events().read(0, 1000));
    all.addAll(engine.audit().list(0, 1000).stream()
        .filter(e -> !e.outcome().equals("api_error")).toList());
    all.add(engine.events().lastSequence());
    return all;
  }

  /** Fails the 1st, 2nd, ... statement of {@code operation} until it gets through untouched. */
  private int sweep(String what, Consumer<VaultService> operation) {
    for (int k = 0; k < 50; k++) {
      List<Object> before = state();
      countdown.set(k);
      try {
        operation.accept(vaults);
        countdown.set(-1);
        return k; // k statements could fail before it succeeded; state checked by the caller
      } catch (VaultException e) {
        countdown.set(-1);
        assertEquals(ErrorType.API, e.type(), what + " at statement " + (k + 1));
        assertTrue(e.getMessage().startsWith("The store failed during"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "no class name: " + e.getMessage());
        assertEquals(before, state(), what + ": a fault at statement " + (k + 1)
            + " left something half-done");
      }
    }
    throw new AssertionError(what + " never succeeded");
  }

  private static CreateCredentialRequest cred(String url) {
    return CreateCredentialRequest.builder().mcpServerUrl(url).protocol(Protocol.SSE)
        .accessToken("tok_fault_" + url.length()).build();
  }

  @Test
  void aFaultAtAnyStatementOfAMultiRowChangeLeavesNothingHalfDone() {
    int statements = sweep("create vault with 3 credentials", v -> v.createVault(
        CreateVaultRequest.builder().displayName("v").addCredential(cred("https://a.example/"))
            .addCredential(cred("https://b.example/")).addCredential(cred("https://c.example/"))
            .build()));
    assertEquals(1, vaults.listVaults(null).data().size());
    String id = vaults.listVaults(null).data().get(0).id();
    assertEquals(3, vaults.listCredentials(id, null).data().size());

    Credential a = vaults.listCredentials(id, ListRequest.builder().name("a.example").build())
        .data().get(0);
    statements += sweep("rotate", v -> v.rotateCredential(id, a.id(), Secret.of("tok_rotated_1")));
    assertEquals(3, vaults.listCredentials(id, null).data().size());

    statements += sweep("rotate data key", v -> engine.keys().rotateDataKey());
    // Re-encryption is online and resumable by design: each row moves atomically on its own, so a
    // fault may leave some rows moved. What must hold: every token still decrypts, and a rerun
    // finishes the job.
    for (int k = 0; engine.keys().status().tokensOnOlderKeys() > 0; k++) {
      long left = engine.keys().status().tokensOnOlderKeys();
      countdown.set(k);
      try {
        engine.keys().reencrypt(1);
      } catch (VaultException e) {
        assertEquals(ErrorType.API, e.type());
      }
      countdown.set(-1);
      assertTrue(engine.keys().status().tokensOnOlderKeys() <= left, "re-encryption went back");
      for (Credential c : vaults.listCredentials(id, null).data()) {
        assertTrue(vaults.openSession(List.of(id)).resolve(c.mcpServerUrl()).isPresent(),
            "every token still decrypts after a fault in re-encryption");
      }
    }

    statements += sweep("archive vault", v -> v.archiveVault(id));
    assertTrue(vaults.listCredentials(id, null).data().isEmpty(), "all credentials archived");

    statements += sweep("delete vault", v -> v.deleteVault(id));
    assertTrue(vaults.listVaults(ListRequest.builder().includeArchived(true).build()).data()
        .isEmpty());
    System.out.println("RELIABILITY faults store=h2 statements-failed=" + faults
        + " operations-swept=6 statement-positions=" + statements);
    assertTrue(faults >= 10, "faults were really injected: " + faults);
  }
}
