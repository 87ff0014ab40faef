package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.ErrorType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.testkit.TestKeys;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two engines on one database, as two host processes sharing it: each with its own connection pool
 * view and its own engine state, agreeing only through the database.
 */
class TwoHostsTest {
  private static final String PREFIX = "twohosts_";
  private DataSource current;

  static Stream<Arguments> databases() {
    return Stream.of(
        Arguments.of("postgresql", (Supplier<DataSource>) Databases::postgres),
        Arguments.of("mariadb", (Supplier<DataSource>) Databases::mariadb),
        Arguments.of("h2", (Supplier<DataSource>) () -> org.h2.jdbcx.JdbcConnectionPool.create(
            "jdbc:h2:mem:twohosts;DB_CLOSE_DELAY=-1", "sa", "")));
  }

  @AfterEach
  void drop() {
    if (current != null) {
      Databases.dropTables(current, PREFIX);
    }
  }

  private static VaultEngine host(DataSource ds, KeyEncryptionKey kek) {
    return VaultEngine.builder().store(JdbcVaultStore.builder(ds).tablePrefix(PREFIX).build())
        .keyEncryptionKey(kek).build();
  }

  private static CreateCredentialRequest credential(String url, String token) {
    return CreateCredentialRequest.builder().mcpServerUrl(url).protocol(Protocol.SSE)
        .accessToken(token).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void whatOneHostWritesTheOtherReadsAtOnce(String name, Supplier<DataSource> db) {
    current = db.get();
    Databases.dropTables(current, PREFIX);
    KeyEncryptionKey kek = TestKeys.randomKek();
    try (VaultEngine a = host(current, kek); VaultEngine b = host(current, kek)) {
      VaultService va = a.forAccount("acct");
      VaultService vb = b.forAccount("acct");
      String id = va.createVault(CreateVaultRequest.builder().displayName("shared")
          .addCredential(credential("https://a.example/mcp", "tok_host_a_1")).build()).vault().id();
      assertEquals("shared", vb.getVault(id).displayName());
      VaultSession onB = vb.openSession(List.of(id));
      assertTrue(onB.resolve("https://a.example/mcp").orElseThrow().accessToken()
          .sameAs(Secret.of("tok_host_a_1")));

      Credential old = va.listCredentials(id, null).data().get(0);
      Credential rotated = va.rotateCredential(id, old.id(), Secret.of("tok_host_a_2"));
      assertEquals(rotated.id(), onB.resolve("https://a.example/mcp").orElseThrow().credentialId(),
          "rotation on one host is live on the other");
      a.keys().rotateDataKey();
      va.createCredential(id, credential("https://b.example/mcp", "tok_host_a_3"));
      assertTrue(onB.resolve("https://b.example/mcp").orElseThrow().accessToken()
          .sameAs(Secret.of("tok_host_a_3")), "a token on a key the other host never saw");
      va.archiveVault(id);
      assertEquals(List.of(), vb.listVaults(null).data());
      assertTrue(onB.resolve("https://a.example/mcp").isEmpty());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void concurrentCreatesOnTwoHostsEndInOneSuccessAndOneConflict(String name,
      Supplier<DataSource> db) throws Exception {
    current = db.get();
    Databases.dropTables(current, PREFIX);
    KeyEncryptionKey kek = TestKeys.randomKek();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (VaultEngine a = host(current, kek); VaultEngine b = host(current, kek)) {
      List<VaultService> hosts = List.of(a.forAccount("acct"), b.forAccount("acct"));
      String id = hosts.get(0).createVault(CreateVaultRequest.builder().displayName("v")
          .addCredential(credential("https://seed.example/mcp", "tok_seed_1")).build())
          .vault().id();
      for (int round = 0; round < 20; round++) {
        String url = "https://race.example/mcp/" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = hosts.stream().map(h -> pool.submit(() -> {
          start.await();
          try {
            h.createCredential(id, credential(url, "tok_race_12345"));
            return "ok";
          } catch (VaultException e) {
            return e.type() == ErrorType.CONFLICT ? "conflict" : e.toString();
          }
        })).toList();
        start.countDown();
        List<String> outcomes = List.of(results.get(0).get(), results.get(1).get());
        assertTrue(outcomes.contains("ok") && outcomes.contains("conflict"), outcomes.toString());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
