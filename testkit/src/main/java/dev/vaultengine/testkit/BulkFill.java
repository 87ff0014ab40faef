package dev.vaultengine.testkit;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultService;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Fills a vault service with many credentials holding random tokens, for at-rest scans. */
public final class BulkFill {
  private BulkFill() {}

  /**
   * Creates {@code vaults} vaults of {@code perVault} credentials each, every one with its own
   * random token ({@code tok_} and 32 hex digits).
   *
   * @return the tokens written, to scan for
   */
  public static List<String> randomTokens(VaultService service, int vaults, int perVault) {
    List<String> tokens = new ArrayList<>(vaults * perVault);
    SecureRandom random = new SecureRandom();
    for (int v = 0; v < vaults; v++) {
      CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName("vault " + v);
      for (int c = 0; c < perVault; c++) {
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        String token = "tok_" + HexFormat.of().formatHex(raw);
        tokens.add(token);
        b.addCredential(CreateCredentialRequest.builder()
            .mcpServerUrl("https://svc" + c + ".example/mcp").protocol(Protocol.SSE)
            .accessToken(token).build());
      }
      service.createVault(b.build());
    }
    return tokens;
  }
}
