package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.EventType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.Subscription;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultEvent;
import dev.vaultengine.VaultService;
import dev.vaultengine.testkit.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * Two hosts on one PostgreSQL (or MariaDB) database, each writing 500 changes to an account of its
 * own at the same time, each with a durable subscriber: each receives every event of the other,
 * none missing, none twice, in commit (sequence) order, so in order per account.
 */
class TwoHostsEventsTest {
  private static final String PREFIX = "evhosts_";
  private static final int CHANGES_PER_HOST = 500;
  private DataSource current;

  static Stream<Arguments> databases() {
    return Stream.of(
        Arguments.of("postgresql", (Supplier<DataSource>) Databases::postgres),
        Arguments.of("mariadb", (Supplier<DataSource>) Databases::mariadb));
  }

  @AfterEach
  void drop() {
    if (current != null) {
      Databases.dropTables(current, PREFIX);
    }
  }

  private static VaultEngine host(DataSource ds, KeyEncryptionKey kek) {
    return VaultEngine.builder().store(JdbcVaultStore.builder(ds).tablePrefix(PREFIX).build())
        .keyEncryptionKey(kek).eventPollInterval(Duration.ofMillis(200)).build();
  }

  private static List<String> write(VaultService vaults, String host) {
    String vaultId = vaults.createVault(CreateVaultRequest.builder().displayName(host)
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://" + host
            + ".example/0").protocol(Protocol.SSE).accessToken("tok_" + host + "_0").build())
        .build()).vault().id();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i < CHANGES_PER_HOST; i++) {
      ids.add(vaults.createCredential(vaultId, CreateCredentialRequest.builder()
          .mcpServerUrl("https://" + host + ".example/" + i).protocol(Protocol.SSE)
          .accessToken("tok_" + host + "_" + i).build()).id());
    }
    return ids;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void eachHostReceivesEveryEventOfTheOtherInOrder(String name, Supplier<DataSource> db)
      throws Exception {
    current = db.get();
    Databases.dropTables(current, PREFIX);
    KeyEncryptionKey kek = TestKeys.randomKek();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (VaultEngine a = host(current, kek); VaultEngine b = host(current, kek)) {
      List<VaultEvent> onA = new CopyOnWriteArrayList<>();
      List<VaultEvent> onB = new CopyOnWriteArrayList<>();
      try (Subscription sa = a.events().subscribe("host-a", onA::add);
          Subscription sb = b.events().subscribe("host-b", onB::add)) {
        Future<List<String>> fromA = pool.submit(() -> write(a.forAccount("acct-a"), "a"));
        Future<List<String>> fromB = pool.submit(() -> write(b.forAccount("acct-b"), "b"));
        List<String> idsA = fromA.get();
        List<String> idsB = fromB.get();
        assertTrue(sa.awaitCaughtUp(Duration.ofSeconds(60)), "host a caught up");
        assertTrue(sb.awaitCaughtUp(Duration.ofSeconds(60)), "host b caught up");
        check(onA, "acct-b", idsB);
        check(onB, "acct-a", idsA);
        check(onA, "acct-a", idsA);
        check(onB, "acct-b", idsB);
        assertEquals(onA.stream().map(VaultEvent::id).toList(),
            onB.stream().map(VaultEvent::id).toList(), "both hosts saw one order");
        assertEquals(2 * (CHANGES_PER_HOST + 1), onA.size(), "1,000 changes, no more, no less");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The events of {@code account} are all there, once each, in sequence order. */
  private static void check(List<VaultEvent> received, String account, List<String> created) {
    List<VaultEvent> mine = received.stream()
        .filter(e -> e.accountId().orElse("").equals(account)).toList();
    long last = 0;
    for (VaultEvent e : received) {
      assertTrue(e.sequence() > last, "in sequence order, no event twice");
      last = e.sequence();
    }
    Set<String> credentials = new HashSet<>();
    for (VaultEvent e : mine) {
      if (e.type() == EventType.CREDENTIAL_CREATED) {
        credentials.add(e.credentialId().orElseThrow());
      }
    }
    assertTrue(credentials.containsAll(created), "every create of " + account + " received");
    assertEquals(CHANGES_PER_HOST + 1, mine.size(), "vault.created, then one per credential");
    assertEquals(EventType.VAULT_CREATED, mine.get(0).type(), "per account in commit order");
  }
}
