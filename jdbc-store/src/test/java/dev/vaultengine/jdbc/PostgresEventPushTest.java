package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.Subscription;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultEvent;
import dev.vaultengine.VaultService;
import dev.vaultengine.testkit.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * Two hosts on one PostgreSQL database, each with its own store and pool, polling only every 30
 * seconds: a change made through one reaches the other's subscriber within a second or two, which
 * only LISTEN/NOTIFY can do.
 */
class PostgresEventPushTest {
  private static JdbcConnectionPool pool() {
    PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
    ds.setUrl("jdbc:postgresql://127.0.0.1:5432/test");
    ds.setUser("postgres");
    JdbcConnectionPool pool = JdbcConnectionPool.create(ds);
    pool.setMaxConnections(4);
    return pool;
  }

  @Test
  void anotherHostsChangeIsPushedNotPolled() throws Exception {
    Databases.requireLoopbackPostgres();
    String prefix = "push" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20))
        + "_";
    JdbcConnectionPool poolA = pool();
    JdbcConnectionPool poolB = pool();
    KeyEncryptionKey kek = TestKeys.randomKek();
    Duration poll = Duration.ofSeconds(30);
    try (VaultEngine a = VaultEngine.builder()
            .store(JdbcVaultStore.builder(poolA).tablePrefix(prefix).build())
            .keyEncryptionKey(kek).eventPollInterval(poll).build();
        VaultEngine b = VaultEngine.builder()
            .store(JdbcVaultStore.builder(poolB).tablePrefix(prefix).build())
            .keyEncryptionKey(kek).eventPollInterval(poll).build()) {
      LinkedBlockingQueue<VaultEvent> received = new LinkedBlockingQueue<>();
      try (Subscription sub = b.events().subscribe(received::add)) {
        // The watch connects and runs LISTEN on its own thread: give it a moment, and a first
        // change that proves it listens before any timing is taken.
        VaultService svc = a.forAccount("acct_push");
        Thread.sleep(1_000);
        String vault = svc.createVault(CreateVaultRequest.builder().displayName("p0")
            .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://p.example/mcp")
                .protocol(Protocol.SSE).accessToken("tok_push_0001").build()).build())
            .vault().id();
        VaultEvent first = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(first, "no push within 5 s (polling would take 30 s)");
        assertEquals("vault.created", first.type().wireName());
        assertNotNull(received.poll(5, TimeUnit.SECONDS));
        List<Long> millis = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
          long t0 = System.nanoTime();
          svc.updateVault(vault, UpdateVaultRequest.builder().displayName("p" + i).build());
          VaultEvent e = received.poll(2, TimeUnit.SECONDS);
          assertNotNull(e, "update " + i + " not delivered within 2 s");
          millis.add((System.nanoTime() - t0) / 1_000_000);
          assertEquals("vault.updated", e.type().wireName());
          assertEquals(vault, e.vaultId().orElseThrow());
        }
        long max = millis.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.println("PG-PUSH another host's change delivered in ms: " + millis
            + " (poll interval 30 s)");
        assertTrue(max < 2_000, "max " + max + " ms");

        // The listening connection dies (a server restart, a network cut): the watch connects
        // again after its pause and pushes again.
        int killed;
        try (var c = poolA.getConnection(); var s = c.createStatement();
            var rs = s.executeQuery("SELECT COUNT(pg_terminate_backend(pid)) FROM "
                + "pg_stat_activity WHERE query = 'LISTEN " + prefix + "vault_events'")) {
          rs.next();
          killed = rs.getInt(1);
        }
        assertEquals(1, killed, "one listening connection");
        Thread.sleep(3_000);
        long t0 = System.nanoTime();
        svc.updateVault(vault, UpdateVaultRequest.builder().displayName("after").build());
        VaultEvent again = received.poll(2, TimeUnit.SECONDS);
        assertNotNull(again, "no push after the listening connection was killed");
        System.out.println("PG-PUSH after reconnecting: " + (System.nanoTime() - t0) / 1_000_000
            + " ms");
      }
    } finally {
      Databases.dropTables(poolA, prefix);
      poolA.dispose();
      poolB.dispose();
    }
  }
}
