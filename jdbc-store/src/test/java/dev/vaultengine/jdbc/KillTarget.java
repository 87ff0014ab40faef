package dev.vaultengine.jdbc;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import java.nio.file.Path;

/**
 * The child process of {@link KillTest}: creates credentials in an H2 file as fast as it can and
 * prints "OK seq id" after each create returns, until it is killed.
 */
public final class KillTarget {
  private KillTarget() {}

  /** Arguments: data directory, first sequence number. */
  public static void main(String[] args) {
    Path data = Path.of(args[0]);
    int seq = Integer.parseInt(args[1]);
    VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.h2File(data))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(data.resolve("kek.json")))
        .allowEmptyVaults(true).build();
    VaultService vaults = engine.forAccount("kill");
    String vaultId = vaults.listVaults(null).data().isEmpty()
        ? vaults.createVault(CreateVaultRequest.builder().displayName("kill").build()).vault().id()
        : vaults.listVaults(null).data().get(0).id();
    System.out.println("READY " + vaultId);
    while (true) {
      String id = vaults.createCredential(vaultId, CreateCredentialRequest.builder()
          .mcpServerUrl("https://svc" + seq + ".example/mcp").protocol(Protocol.SSE)
          .accessToken(KillTest.token(seq)).build()).id();
      System.out.println("OK " + seq + " " + id);
      seq++;
    }
  }
}
