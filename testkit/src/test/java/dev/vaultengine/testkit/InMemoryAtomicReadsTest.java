package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.memory.InMemoryVaultStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's readers take no lock, yet a multi-row change stays atomic to them: while a
 * writer archives vaults of 40 credentials each (the vault and every credential in one write),
 * readers listing those credentials never see some archived and some active.
 */
class InMemoryAtomicReadsTest {
  private static final int VAULTS = 150;
  private static final int CREDENTIALS = 40;

  @Test
  void readersNeverSeeHalfAnArchive() throws Exception {
    try (VaultEngine engine = VaultEngine.builder().store(new InMemoryVaultStore())
        .keyEncryptionKey(TestKeys.randomKek()).build()) {
      VaultService vaults = engine.forAccount("acme");
      List<String> ids = new ArrayList<>();
      for (int v = 0; v < VAULTS; v++) {
        CreateVaultRequest.Builder request = CreateVaultRequest.builder().displayName("v" + v);
        for (int c = 0; c < CREDENTIALS; c++) {
          request.addCredential(CreateCredentialRequest.builder()
              .mcpServerUrl("https://s" + c + ".example/mcp").protocol(Protocol.SSE)
              .accessToken(Secret.of("tok_atomic_" + v + "_" + c)).build());
        }
        ids.add(vaults.createVault(request.build()).vault().id());
      }
      ListRequest all = ListRequest.builder().includeArchived(true).limit(100).build();
      AtomicBoolean done = new AtomicBoolean();
      AtomicLong listings = new AtomicLong();
      java.util.concurrent.atomic.AtomicInteger current =
          new java.util.concurrent.atomic.AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<List<String>>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
          readers.add(pool.submit(() -> {
            List<String> torn = new ArrayList<>();
            while (!done.get()) {
              // The vault being archived right now, so that reads overlap the write.
              String id = ids.get(current.get());
              Set<Status> seen = vaults.listCredentials(id, all).data().stream()
                  .map(Credential::status).collect(Collectors.toSet());
              listings.incrementAndGet();
              if (seen.size() != 1) {
                torn.add(id + " " + seen);
              }
            }
            return torn;
          }));
        }
        for (int i = 0; i < ids.size(); i++) {
          current.set(i);
          long before = listings.get();
          while (listings.get() < before + 20) {
            Thread.onSpinWait(); // let the readers start on this vault
          }
          vaults.archiveVault(ids.get(i));
        }
        done.set(true);
        for (Future<List<String>> reader : readers) {
          assertEquals(List.of(), reader.get(), "listings that saw half an archive");
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.println("ATOMIC-READS listings=" + listings.get() + " archives=" + VAULTS);
    }
  }
}
