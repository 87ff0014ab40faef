package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.ReencryptionReport;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.memory.InMemoryVaultStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Re-encryption tells its caller, batch by batch, how far it is: the CLI's progress line. */
class ReencryptionProgressTest {
  @Test
  void progressRisesBatchByBatchToTheTotal() {
    try (VaultEngine engine = VaultEngine.builder().store(new InMemoryVaultStore())
        .keyEncryptionKey(TestKeys.randomKek()).build()) {
      VaultService vaults = engine.forAccount("acct");
      for (int i = 0; i < 25; i++) {
        vaults.createVault(CreateVaultRequest.builder().displayName("v" + i)
            .addCredential(CreateCredentialRequest.builder()
                .mcpServerUrl("https://s" + i + ".example/mcp").protocol(Protocol.SSE)
                .accessToken("tok-" + i).build())
            .build());
      }
      engine.keys().rotateDataKey();
      List<long[]> seen = new ArrayList<>();
      ReencryptionReport report =
          engine.keys().reencrypt(10, (done, total) -> seen.add(new long[] {done, total}));
      assertEquals(25, report.reencrypted());
      assertEquals(List.of(10L, 20L, 25L), seen.stream().map(p -> p[0]).toList());
      assertTrue(seen.stream().allMatch(p -> p[1] == 25), "the total is the count at the start");
    }
  }
}
