package dev.vaultengine.jdbc;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.spi.VaultStore;
import java.nio.file.Path;

/**
 * The child process of {@link KillTest}: creates credentials through the engine as fast as it can
 * and prints "OK seq id" after each create returns (System.out flushes at every line), until it is
 * killed.
 */
public final class KillTarget {
  private KillTarget() {}

  /** The store {@link KillTest} and this child open on {@code data}, by kind. */
  static VaultStore store(String kind, Path data) {
    return switch (kind) {
      case "sqlite" -> EmbeddedStores.sqlite(data);
      case "sqlite-normal" -> EmbeddedStores.sqlite(data, Durability.SURVIVES_PROCESS_KILL);
      case "h2" -> EmbeddedStores.h2File(data);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** Arguments: store kind ({@code sqlite}, {@code sqlite-normal}, {@code h2}), data directory, first sequence number. */
  public static void main(String[] args) {
    Path data = Path.of(args[1]);
    int seq = Integer.parseInt(args[2]);
    VaultEngine engine = VaultEngine.builder().store(store(args[0], data))
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
