package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.CredentialType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.spi.RefreshOutcome;
import dev.vaultengine.testkit.NonClosingStore;
import dev.vaultengine.testkit.RecordingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the SQLite file, whose change count is not a number that grows by one, a refresh still
 * leaves other sessions' answers warm: the store tells the engine its write was the one commit.
 */
class SqliteScopedInvalidationTest {
  @TempDir
  Path dir;

  @Test
  void aRefreshLeavesOtherSessionsWarmOnSqlite() throws InterruptedException {
    AtomicInteger refreshes = new AtomicInteger();
    try (JdbcVaultStore file = EmbeddedStores.sqlite(dir.resolve("data"))) {
      RecordingStore store = new RecordingStore(new NonClosingStore(file));
      try (VaultEngine engine = VaultEngine.builder().store(store)
          .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json")))
          .tokenRefresher(grant -> new RefreshOutcome.Refreshed(
              Secret.of("access-" + refreshes.incrementAndGet()), Optional.of(Duration.ofMillis(2)),
              Optional.of(Secret.of("refresh-" + refreshes.get()))))
          .build()) {
        VaultService vaults = engine.forAccount("acct");
        CreatedVault warmVault = vaults.createVault(CreateVaultRequest.builder().displayName("w")
            .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://warm.example/")
                .protocol(Protocol.SSE).accessToken("warm-token").build()).build());
        CreatedVault oauth = vaults.createVault(CreateVaultRequest.builder().displayName("o")
            .addCredential(CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
                .mcpServerUrl("https://oauth.example/").protocol(Protocol.SSE)
                .accessToken("access-0").expiresAt(Instant.now().plusSeconds(1))
                .refresh(new OAuthRefreshRequest("https://auth.example/token", "c", null, null,
                    Secret.of("refresh-0"), TokenEndpointAuth.none()))
                .build()).build());
        VaultSession warm = vaults.openSession(List.of(warmVault.vault().id()));
        VaultSession refreshing = vaults.openSession(List.of(oauth.vault().id()));
        warm.resolve("https://warm.example/");
        Thread.sleep(600); // past half the credential's 1 s life: due
        for (int i = 1; i <= 3; i++) {
          // Each resolve refreshes (2 ms tokens are due at once): lease, write, release.
          Thread.sleep(5);
          assertTrue(refreshing.resolve("https://oauth.example/").orElseThrow().accessToken()
              .sameAs(Secret.of("access-" + i)));
          long reads = store.reads();
          assertTrue(warm.resolve("https://warm.example/").orElseThrow().accessToken()
              .sameAs(Secret.of("warm-token")));
          assertEquals(reads, store.reads(), "refresh " + i + " left the other session warm");
        }
        assertEquals(3, refreshes.get());
      }
    }
  }
}
