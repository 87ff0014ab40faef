package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CredentialKind;
import dev.vaultengine.Protocol;
import dev.vaultengine.Status;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.ListQuery;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.WriteOutcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 factories insert a credential with one autocommit statement and rely on a lock
 * per database in this JVM (not a row lock) to keep an archive or delete of the vault from slipping
 * between the statement's check and its write. These races must never leave an active credential in
 * an archived vault, or a credential whose insert returned OK missing from a vault that was only
 * archived; also with two stores opened on the same file, as two parts of one host may do.
 */
class EmbeddedH2RaceTest {
  private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  private static final int ROUNDS = 60;
  private static final int INSERTS = 25;

  @Test
  void insertsRacingAnArchiveNeverLeaveAnActiveCredentialInAnArchivedVault(@TempDir Path dir)
      throws Exception {
    try (JdbcVaultStore one = EmbeddedStores.h2File(dir);
        JdbcVaultStore two = EmbeddedStores.h2File(dir)) {
      race(one, two, false);
    }
  }

  @Test
  void insertsRacingADeleteLeaveNoOrphan() throws Exception {
    try (JdbcVaultStore store = EmbeddedStores.h2InMemory("race_delete")) {
      race(store, store, true);
    }
  }

  private static void race(JdbcVaultStore inserter, JdbcVaultStore archiver, boolean delete)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        // Ids as long as real ones: the id columns are CHAR(38).
        String vaultId = String.format("vlt_%034d", round * 2 + (delete ? 1 : 0));
        assertEquals(WriteOutcome.OK, inserter.insertVault(
            new VaultRow("acct", vaultId, "race", Map.of(), Status.ACTIVE, null, NOW, NOW),
            List.of(), Journal.NONE));
        CountDownLatch go = new CountDownLatch(1);
        int archiveAfter = round % INSERTS;
        int idBase = round * 100;
        CountDownLatch someInserted = new CountDownLatch(archiveAfter);
        Future<List<String>> inserts = pool.submit(() -> {
          go.await();
          List<String> ok = new ArrayList<>();
          for (int i = 0; i < INSERTS; i++) {
            String id = String.format("vcrd_%033d", idBase + i);
            WriteOutcome outcome = inserter.insertCredential(row(vaultId, id, i), Journal.NONE);
            if (outcome == WriteOutcome.OK) {
              ok.add(id);
            } else {
              assertEquals(delete ? WriteOutcome.NOT_FOUND : WriteOutcome.ARCHIVED, outcome);
            }
            someInserted.countDown();
          }
          return ok;
        });
        Future<?> archive = pool.submit(() -> {
          go.await();
          someInserted.await();
          if (delete) {
            assertTrue(archiver.deleteVault("acct", vaultId, Journal.NONE));
          } else {
            assertEquals(WriteOutcome.OK, archiver.archiveVault("acct", vaultId, NOW,
                Journal.NONE));
          }
          return null;
        });
        go.countDown();
        List<String> inserted = inserts.get();
        archive.get();
        List<CredentialRow> rows = inserter.listCredentials("acct", vaultId,
            new ListQuery(INSERTS * 2, null, null, true, null, null, null));
        if (delete) {
          assertEquals(List.of(), rows, "credentials left in a deleted vault");
          continue;
        }
        assertEquals(inserted.size(), rows.size(), "every OK insert is stored, nothing else");
        for (CredentialRow r : rows) {
          assertTrue(inserted.contains(r.id()), r.id());
          assertEquals(Status.ARCHIVED, r.status(), "active credential in an archived vault");
          assertNull(r.token(), "token kept after archive");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static CredentialRow row(String vaultId, String id, int i) {
    String url = "https://race" + i + ".example/mcp";
    return new CredentialRow("acct", id, vaultId, url,
        new CredentialKind.StaticBearer(url, Protocol.SSE), null, Map.of(), Status.ACTIVE, null,
        NOW, NOW, EncryptedSecrets.of(new EncryptedToken(1, new byte[] {1, 2, 3})));
  }
}
