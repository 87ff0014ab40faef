package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.ErrorType;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.memory.InMemoryVaultStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A host's {@code IdGenerator} that returns null gets the engine's api_error, and no write. */
class HostIdGeneratorTest {
  @Test
  void aNullIdIsAnApiErrorAndNothingIsWritten() {
    try (VaultEngine engine = VaultEngine.builder().store(new InMemoryVaultStore())
        .keyEncryptionKey(TestKeys.randomKek()).idGenerator(() -> null).build()) {
      VaultService vaults = engine.forAccount("acct");
      VaultException e = assertThrows(VaultException.class, () -> vaults.createVault(
          CreateVaultRequest.builder().displayName("v").addCredential(
              CreateCredentialRequest.builder().mcpServerUrl("https://a.example/")
                  .protocol(Protocol.SSE).accessToken("tok_null_id").build()).build()));
      assertEquals(ErrorType.API, e.type());
      assertEquals("The id generator returned no id; nothing was changed.", e.getMessage());
      assertEquals(List.of(), vaults.listVaults(null).data());
    }
  }
}
