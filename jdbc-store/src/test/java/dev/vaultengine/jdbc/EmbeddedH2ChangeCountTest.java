package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.testkit.RecordingStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores on one embedded H2 database share a change count, so a session that answers a repeated
 * resolve from memory still sees, at its next resolve, what another store of this JVM wrote: a
 * second factory store on the same file, or a store over a caller's {@code DataSource} on it.
 */
class EmbeddedH2ChangeCountTest {
  private static final String URL = "https://mcp.example/sse";

  @Test
  void aRememberedAnswerFollowsWritesOfEveryStoreOnTheFile(@TempDir Path dir) {
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"));
    RecordingStore reading = new RecordingStore(EmbeddedStores.h2File(dir.resolve("db")));
    JdbcConnectionPool pool = JdbcConnectionPool.create(
        "jdbc:h2:" + dir.resolve("db").resolve("vault").toAbsolutePath(), "sa", "");
    try (VaultEngine here = VaultEngine.builder().store(reading).keyEncryptionKey(kek).build();
        VaultEngine factory = VaultEngine.builder().store(EmbeddedStores.h2File(dir.resolve("db")))
            .keyEncryptionKey(kek).build();
        VaultEngine caller = VaultEngine.builder().store(JdbcVaultStore.builder(pool).build())
            .keyEncryptionKey(kek).build()) {
      VaultService mine = here.forAccount("acct");
      CreatedVault v = mine.createVault(CreateVaultRequest.builder().displayName("v")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl(URL).protocol(Protocol.SSE)
              .accessToken("tok-first").build()).build());
      VaultSession session = mine.openSession(List.of(v.vault().id()));
      String first = session.resolve(URL).orElseThrow().credentialId();
      long reads = reading.reads();
      assertEquals(first, session.resolve(URL).orElseThrow().credentialId());
      assertEquals(reads, reading.reads(), "a repeated resolve with nothing written reads nothing");

      String second = factory.forAccount("acct")
          .rotateCredential(v.vault().id(), first, Secret.of("tok-second")).id();
      ResolvedCredential r = session.resolve(URL).orElseThrow();
      assertEquals(second, r.credentialId(), "rotation by another factory store");
      assertTrue(r.accessToken().sameAs(Secret.of("tok-second")));

      String third = caller.forAccount("acct")
          .rotateCredential(v.vault().id(), second, Secret.of("tok-third")).id();
      assertEquals(third, session.resolve(URL).orElseThrow().credentialId(),
          "rotation by a store over a caller's DataSource");

      caller.forAccount("acct").archiveVault(v.vault().id());
      assertEquals(Optional.empty(), session.resolve(URL), "archive by another store");
    } finally {
      pool.dispose();
    }
  }
}
