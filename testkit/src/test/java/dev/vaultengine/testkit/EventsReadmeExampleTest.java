package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.AuditMode;
import dev.vaultengine.AuditVerification;
import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.EventType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.Subscription;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.memory.InMemoryVaultStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's events and audit example, and checks the README shows exactly this code. */
class EventsReadmeExampleTest {
  @TempDir
  Path dataDir;

  private final List<String> dropped = new CopyOnWriteArrayList<>();

  private void dropCachedConnection(String credentialId) {
    dropped.add(credentialId);
  }

  @Test
  void theExampleRuns() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(dataDir.resolve("kek.json"));
    String vaultId;
    String credentialId;
    try (VaultEngine engine = VaultEngine.builder().store(new InMemoryVaultStore())
        .keyEncryptionKey(kek).auditMode(AuditMode.FAIL_CLOSED).build()) {
      // README:start
      // Durable: after a restart this subscriber gets every event it had not handled yet.
      Subscription s = engine.events().subscribe("mcp-connection-cache", event -> {
        if (event.type() == EventType.CREDENTIAL_ARCHIVED
            || event.type() == EventType.CREDENTIAL_DELETED) {
          dropCachedConnection(event.credentialId().orElseThrow());
        }
      });

      VaultService vaults = engine.forAccount("acme", "alice@acme.example"); // actor, audited
      // ... create, rotate, archive: each change is an event and an audit entry ...

      AuditVerification check = engine.audit().verify();  // the chain, entry by entry
      boolean stored = !engine.audit().find(Secret.of("ghp_leaked?")).isEmpty();
      // README:end
      vaultId = vaults.createVault(CreateVaultRequest.builder().displayName("v")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://a.example/")
              .protocol(Protocol.SSE).accessToken("ghp_leaked?").build()).build()).vault().id();
      credentialId = vaults.listCredentials(vaultId, null).data().get(0).id();
      vaults.archiveCredential(vaultId, credentialId);
      assertTrue(s.awaitCaughtUp(Duration.ofSeconds(10)));
      assertEquals(List.of(credentialId), dropped);
      assertTrue(check.intact());
      assertTrue(!stored);
      assertEquals(1, engine.audit().find(Secret.of("ghp_leaked?")).size());
      assertTrue(engine.audit().verify().intact());
      s.close();
    }
  }

  @Test
  void theReadmeShowsThisCode() throws Exception {
    ReadmeExampleTest.assertReadmeShows(
        "src/test/java/dev/vaultengine/testkit/EventsReadmeExampleTest.java", "      ");
  }
}
