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
import dev.vaultengine.VaultService;
import dev.vaultengine.memory.InMemoryVaultStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory store holds ciphertext only: its whole object graph is scanned for tokens. */
class InMemoryStoreNoPlaintextTest {

  @Test
  void tenThousandTokensNeverAppearInTheStoresMemory() {
    InMemoryVaultStore store = new InMemoryVaultStore();
    KeyEncryptionKey kek = TestKeys.randomKek();
    List<String> tokens = new ArrayList<>();
    SecureRandom random = new SecureRandom();
    try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).build()) {
      VaultService vaults = engine.forAccount("acct");
      for (int v = 0; v < 100; v++) {
        CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName("vault " + v);
        for (int c = 0; c < 100; c++) {
          byte[] raw = new byte[16];
          random.nextBytes(raw);
          String token = "tok_" + HexFormat.of().formatHex(raw);
          tokens.add(token);
          b.addCredential(CreateCredentialRequest.builder()
              .mcpServerUrl("https://svc" + c + ".example/mcp").protocol(Protocol.SSE)
              .accessToken(token).build());
        }
        vaults.createVault(b.build());
      }
    }
    assertEquals(10_000, tokens.size());
    byte[] memory = ObjectGraphDump.of(store);
    assertTrue(memory.length > 1_000_000, "the dump covers the records: " + memory.length);
    assertEquals(List.of(), new PlaintextScanner(tokens).findIn(memory));
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
