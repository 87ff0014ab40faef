package dev.vaultengine.jdbc;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.Subscription;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link EventsKillTest}: a host with a durable subscriber named
 * {@code host} that prints "EVT sequence id" for every event it handles, while it creates
 * credentials as fast as it can (each one an event, committed before it is delivered); killed
 * at a random moment. With the argument {@code drain} it creates nothing, waits until its
 * subscriber caught up, prints "DRAINED" and exits.
 */
public final class EventsKillTarget {
  private EventsKillTarget() {}

  /** Arguments: data directory, first sequence number or {@code drain}. */
  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.sqlite(data))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(data.resolve("kek.json")))
        .allowEmptyVaults(true).build();
    VaultService vaults = engine.forAccount("kill");
    String vaultId = vaults.listVaults(null).data().isEmpty()
        ? vaults.createVault(CreateVaultRequest.builder().displayName("kill").build()).vault().id()
        : vaults.listVaults(null).data().get(0).id();
    // System.out flushes at every println: a printed line was handled before any kill.
    Subscription s = engine.events().subscribe("host",
        e -> System.out.println("EVT " + e.sequence() + " " + e.id()));
    if (args[1].equals("drain")) {
      if (!s.awaitCaughtUp(Duration.ofSeconds(60))) {
        System.out.println("NOT DRAINED");
        System.exit(1);
      }
      System.out.println("DRAINED");
      engine.close();
      return;
    }
    int seq = Integer.parseInt(args[1]);
    System.out.println("READY");
    while (true) {
      vaults.createCredential(vaultId, CreateCredentialRequest.builder()
          .mcpServerUrl("https://evt" + seq + ".example/mcp").protocol(Protocol.SSE)
          .accessToken("tok_events_kill_" + seq + "_" + Integer.toHexString(seq * 31)).build());
      seq++;
    }
  }
}
