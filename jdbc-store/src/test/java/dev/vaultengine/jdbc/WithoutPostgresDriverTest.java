package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.Subscription;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultEvent;
import dev.vaultengine.testkit.TestKeys;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite host with events and a subscriber (the code path that would start a PostgreSQL watch)
 * runs without the PostgreSQL driver. The driver is an optional dependency, so it is on the test
 * class path; run this class with it excluded to check the claim:
 * {@code mvn -o -q -pl jdbc-store -am test -Dtest=WithoutPostgresDriverTest
 * -Dmaven.test.dependency.excludes=org.postgresql:postgresql
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class WithoutPostgresDriverTest {
  @TempDir
  Path dir;

  @Test
  void aSqliteHostSubscribesWithoutThePostgresDriver() throws Exception {
    boolean driver;
    try {
      Class.forName("org.postgresql.PGConnection");
      driver = true;
    } catch (ClassNotFoundException e) {
      driver = false;
    }
    System.out.println("WITHOUT-PG postgresql driver on the class path: " + driver);
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.sqlite(dir))
        .keyEncryptionKey(TestKeys.randomKek()).build()) {
      LinkedBlockingQueue<VaultEvent> received = new LinkedBlockingQueue<>();
      try (Subscription sub = engine.events().subscribe("no-pg", received::add)) {
        engine.forAccount("acct").createVault(CreateVaultRequest.builder().displayName("v")
            .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://a.example/")
                .protocol(Protocol.SSE).accessToken("tok_no_pg_0001").build()).build());
        VaultEvent first = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(first);
        assertEquals("vault.created", first.type().wireName());
      }
    }
  }
}
