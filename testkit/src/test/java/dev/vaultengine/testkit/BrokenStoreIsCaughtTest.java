package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.WriteOutcome;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The harness must catch a store that breaks a rule and shrink the failure to a short sequence:
 * here a store that loses the archive flag of credentials (it answers OK and archives nothing).
 */
@Tag("property")
class BrokenStoreIsCaughtTest {

  /** Forgets to archive credentials, while claiming it did. */
  static final class ForgetsArchive extends ForwardingStore {
    ForgetsArchive(InMemoryVaultStore store) {
      super(store);
    }

    @Override
    public WriteOutcome archiveCredential(String accountId, String vaultId, String id,
        Instant at) {
      return findCredential(accountId, vaultId, id).isPresent() ? WriteOutcome.OK
          : WriteOutcome.NOT_FOUND;
    }
  }

  @Test
  void aStoreThatLosesTheArchiveFlagIsCaughtAndShrunk() {
    ModelBasedHarness harness = new ModelBasedHarness(() -> {
      InMemoryVaultStore store = new InMemoryVaultStore();
      return () -> new ForgetsArchive(store);
    });
    ModelBasedHarness.ShrunkFailure failure = assertThrows(ModelBasedHarness.ShrunkFailure.class,
        () -> harness.run(200, 1));
    System.out.println("RELIABILITY broken-store " + failure.getMessage().lines().findFirst()
        .orElse(""));
    assertTrue(failure.steps().size() <= 3,
        "shrunk to a short sequence: " + failure.steps());
    assertTrue(failure.getMessage().contains("-Dvault.seed=" + failure.seed()));
  }
}
