package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vaultengine.CredentialKind;
import dev.vaultengine.Protocol;
import dev.vaultengine.Status;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.WriteOutcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The refresh lease on every database: taken by one of several hosts at once, held against
 * others until it ends, taken over after it ends (a host that died), extended by its holder,
 * released only by its holder, and "held forever" for a credential that is not active.
 */
class RefreshLeaseTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir
  Path dir;

  private final List<JdbcVaultStore> stores = new ArrayList<>();
  private DataSource server;
  private String prefix;

  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("sqlite"), Arguments.of("h2"), Arguments.of("postgresql"),
        Arguments.of("mariadb"));
  }

  /** Two stores (two hosts) over one database. */
  private List<JdbcVaultStore> open(String db) {
    switch (db) {
      case "sqlite" -> {
        stores.add(EmbeddedStores.sqlite(dir.resolve("sqlite")));
        stores.add(EmbeddedStores.sqlite(dir.resolve("sqlite")));
      }
      case "h2" -> stores.add(EmbeddedStores.h2File(dir.resolve("h2")));
      default -> {
        server = db.equals("postgresql") ? Databases.postgres() : Databases.mariadb();
        prefix = "rl" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
        stores.add(JdbcVaultStore.builder(server).tablePrefix(prefix).build());
        stores.add(JdbcVaultStore.builder(server).tablePrefix(prefix).build());
      }
    }
    return stores;
  }

  @AfterEach
  void close() {
    stores.forEach(JdbcVaultStore::close);
    if (server != null) {
      Databases.dropTables(server, prefix);
    }
  }

  private static String credential(JdbcVaultStore store) {
    String vault = "vault_" + UUID.randomUUID().toString().replace("-", "");
    String id = "vcred_" + UUID.randomUUID().toString().replace("-", "");
    String url = "https://mcp.example.com/" + id;
    CredentialRow row = new CredentialRow("acct", id, vault, url,
        new CredentialKind.McpOAuth(url, Protocol.SSE, Optional.of(T0), Optional.empty()), null,
        Map.of(), Status.ACTIVE, null, T0, T0,
        EncryptedSecrets.of(new EncryptedToken(1, new byte[] {1, 2, 3})));
    assertEquals(WriteOutcome.OK, store.insertVault(
        new VaultRow("acct", vault, "v", Map.of(), Status.ACTIVE, null, T0, T0), List.of(row),
            Journal.NONE));
    return vault + "/" + id;
  }

  @ParameterizedTest
  @MethodSource("databases")
  void theLeaseRules(String db) {
    List<JdbcVaultStore> hosts = open(db);
    JdbcVaultStore a = hosts.get(0);
    JdbcVaultStore b = hosts.get(hosts.size() - 1);
    String[] ids = credential(a).split("/");
    String id = ids[1];
    Instant end = T0.plusSeconds(30);
    assertEquals(Optional.empty(), a.tryLeaseRefresh("acct", id, "host-a", T0, end));
    assertEquals(Optional.of(end), b.tryLeaseRefresh("acct", id, "host-b", T0.plusSeconds(1),
        T0.plusSeconds(31)), "held by host-a until its end");
    assertEquals(Optional.of(Instant.MAX),
        b.tryLeaseRefresh("other-account", id, "host-b", T0, end), "another account's row");
    assertEquals(Optional.empty(), a.tryLeaseRefresh("acct", id, "host-a", T0.plusSeconds(2),
        T0.plusSeconds(600)), "the holder extends it");
    b.releaseRefreshLease("acct", id, "host-b"); // not the holder: nothing happens
    assertEquals(Optional.of(T0.plusSeconds(600)),
        b.tryLeaseRefresh("acct", id, "host-b", T0.plusSeconds(3), T0.plusSeconds(33)));
    assertEquals(Optional.empty(), b.tryLeaseRefresh("acct", id, "host-b",
        T0.plusSeconds(601), T0.plusSeconds(631)), "an ended lease is taken over");
    b.releaseRefreshLease("acct", id, "host-b");
    assertEquals(Optional.empty(),
        a.tryLeaseRefresh("acct", id, "host-a", T0.plusSeconds(602), T0.plusSeconds(632)));
    assertEquals(WriteOutcome.OK, a.archiveCredential("acct", ids[0], id, T0.plusSeconds(603),
        Journal.NONE));
    assertEquals(Optional.of(Instant.MAX),
        b.tryLeaseRefresh("acct", id, "host-b", T0.plusSeconds(700), T0.plusSeconds(730)));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void anUpdateWithNewSecretsEndsTheLeaseAndOneWithoutKeepsIt(String db) {
    List<JdbcVaultStore> hosts = open(db);
    JdbcVaultStore a = hosts.get(0);
    String[] ids = credential(a).split("/");
    CredentialRow row = a.findCredential("acct", ids[0], ids[1]).orElseThrow();
    Instant hold = T0.plusSeconds(3600);
    assertEquals(Optional.empty(), a.tryLeaseRefresh("acct", row.id(), "host-a", T0, hold));
    CredentialRow keeping = new CredentialRow(row.accountId(), row.id(), row.vaultId(),
        row.identityKey(), row.kind(), "renamed", row.metadata(), Status.ACTIVE, null,
        row.createdAt(), T0.plusSeconds(1), null);
    assertEquals(WriteOutcome.OK, a.updateCredential(keeping, row.updatedAt(), Journal.NONE));
    assertEquals(Optional.of(hold), a.tryLeaseRefresh("acct", row.id(), "host-b",
        T0.plusSeconds(2), T0.plusSeconds(32)), "an update without secrets keeps the hold");
    CredentialRow newSecrets = new CredentialRow(row.accountId(), row.id(), row.vaultId(),
        row.identityKey(), row.kind(), "renamed", row.metadata(), Status.ACTIVE, null,
        row.createdAt(), T0.plusSeconds(3),
        EncryptedSecrets.of(new EncryptedToken(1, new byte[] {9, 9})));
    assertEquals(WriteOutcome.OK, a.updateCredential(newSecrets, T0.plusSeconds(1), Journal.NONE));
    assertEquals(Optional.empty(), a.tryLeaseRefresh("acct", row.id(), "host-b",
        T0.plusSeconds(4), T0.plusSeconds(34)), "new secrets end the hold");
  }

  @ParameterizedTest
  @MethodSource("databases")
  void ofEightHostsAtOnceExactlyOneGetsIt(String db) throws Exception {
    List<JdbcVaultStore> hosts = open(db);
    String id = credential(hosts.get(0)).split("/")[1];
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Optional<Instant>>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        JdbcVaultStore store = hosts.get(i % hosts.size());
        String owner = "host-" + i;
        answers.add(pool.submit(() -> {
          go.await();
          return store.tryLeaseRefresh("acct", id, owner, T0, T0.plusSeconds(30));
        }));
      }
      go.countDown();
      int taken = 0;
      for (Future<Optional<Instant>> f : answers) {
        Optional<Instant> answer = f.get();
        if (answer.isEmpty()) {
          taken++;
        } else {
          assertEquals(T0.plusSeconds(30), answer.get());
        }
      }
      assertEquals(1, taken);
    } finally {
      pool.shutdownNow();
    }
  }
}
