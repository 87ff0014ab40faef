package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.memory.InMemoryVaultStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory store holds ciphertext only: its whole object graph is scanned for secrets. */
class InMemoryStoreNoPlaintextTest {

  @Test
  void tenThousandCredentialsOfEveryKindLeaveNoSecretInTheStoresMemory() {
    InMemoryVaultStore store = new InMemoryVaultStore();
    KeyEncryptionKey kek = TestKeys.randomKek();
    List<String> secrets;
    try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).build()) {
      secrets = BulkFill.randomSecrets(engine.forAccount("acct"), 100, 100);
    }
    assertTrue(secrets.size() > 15_000, "secrets written: " + secrets.size());
    for (String kind : List.of("tok_", "at_", "rt_", "cs_", "sv_")) {
      assertTrue(secrets.stream().filter(s -> s.startsWith(kind)).count() > 3_000,
          "secrets of every field: " + kind);
    }
    byte[] memory = ObjectGraphDump.of(store);
    assertTrue(memory.length > 1_000_000, "the dump covers the records: " + memory.length);
    assertEquals(List.of(), new PlaintextScanner(secrets).findIn(memory));
  }

  @Test
  void aWrongKekLeavesTheStoreByteForByteUnchanged() {
    InMemoryVaultStore store = new InMemoryVaultStore();
    try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(TestKeys.randomKek()).build()) {
      engine.forAccount("acct").createVault(CreateVaultRequest.builder().displayName("v")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://a.example/")
              .protocol(Protocol.SSE).accessToken("tok_abcdefgh").build()).build());
    }
    byte[] before = ObjectGraphDump.of(store);
    assertThrows(VaultException.class, () -> VaultEngine.builder().store(store)
        .keyEncryptionKey(TestKeys.randomKek()).build());
    assertArrayEquals(before, ObjectGraphDump.of(store));
  }
}
