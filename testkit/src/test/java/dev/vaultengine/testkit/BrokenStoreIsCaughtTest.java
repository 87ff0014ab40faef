package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.WriteOutcome;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The harness must catch a store that breaks a rule and shrink the failure to a short sequence:
 * a store that loses the archive flag of credentials (it answers OK and archives nothing), one
 * that keeps a credential's old secrets when it is updated, and one that keeps its old fields.
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
        Instant at, dev.vaultengine.spi.Journal journal) {
      return findCredential(accountId, vaultId, id).isPresent() ? WriteOutcome.OK
          : WriteOutcome.NOT_FOUND;
    }
  }

  /** Updates everything but the secrets, which stay as they were. */
  static final class KeepsOldSecrets extends ForwardingStore {
    KeepsOldSecrets(InMemoryVaultStore store) {
      super(store);
    }

    @Override
    public WriteOutcome updateCredential(CredentialRow updated, Instant expectedUpdatedAt,
        dev.vaultengine.spi.Journal journal) {
      CredentialRow old = findCredential(updated.accountId(), updated.vaultId(), updated.id())
          .orElse(null);
      return super.updateCredential(old == null || old.secrets() == null ? updated
          : updated.withSecrets(old.secrets()), expectedUpdatedAt, journal);
    }
  }

  /** Updates everything but the kind's fields (networking, expires_at, ...). */
  static final class KeepsOldKind extends ForwardingStore {
    KeepsOldKind(InMemoryVaultStore store) {
      super(store);
    }

    @Override
    public WriteOutcome updateCredential(CredentialRow updated, Instant expectedUpdatedAt,
        dev.vaultengine.spi.Journal journal) {
      CredentialRow old = findCredential(updated.accountId(), updated.vaultId(), updated.id())
          .orElse(null);
      return super.updateCredential(old == null ? updated : new CredentialRow(
          updated.accountId(), updated.id(), updated.vaultId(), updated.identityKey(),
          old.kind(), updated.displayName(), updated.metadata(), updated.status(),
          updated.archivedAt(), updated.createdAt(), updated.updatedAt(), updated.secrets()),
          expectedUpdatedAt, journal);
    }
  }

  @Test
  void aStoreThatKeepsOldSecretsOrFieldsOnUpdateIsCaughtAndShrunk() {
    for (String broken : java.util.List.of("secrets", "kind")) {
      ModelBasedHarness harness = new ModelBasedHarness(() -> {
        InMemoryVaultStore store = new InMemoryVaultStore();
        return () -> broken.equals("secrets") ? new KeepsOldSecrets(store)
            : new KeepsOldKind(store);
      });
      ModelBasedHarness.ShrunkFailure failure = assertThrows(
          ModelBasedHarness.ShrunkFailure.class, () -> harness.run(200, 1), broken);
      System.out.println("RELIABILITY broken-store (update keeps old " + broken + ") "
          + failure.getMessage().lines().findFirst().orElse(""));
      assertTrue(failure.steps().size() <= 4, "shrunk to a short sequence: " + failure.steps());
      assertTrue(failure.steps().stream().anyMatch(
          s -> s instanceof ModelOperation.UpdateCredential), failure.steps().toString());
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
