package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.testkit.BulkFill;
import dev.vaultengine.testkit.PlaintextScanner;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded default leaves on disk: ciphertext only, and the KEK file owner-only. */
class H2FileOnDiskTest {
  @TempDir
  Path dir;

  @Test
  void tenThousandTokensNeverReachAnyFileOfTheDatabaseDirectory() throws Exception {
    Path data = dir.resolve("vault-data");
    List<String> tokens;
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.h2File(data))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"))).build()) {
      VaultService vaults = engine.forAccount("acct");
      tokens = BulkFill.randomTokens(vaults, 100, 100);
      assertEquals(100, vaults.listVaults(dev.vaultengine.ListRequest.builder().limit(100)
          .build()).data().size());
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      all.writeBytes(Files.readAllBytes(f));
    }
    assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".mv.db")), files.toString());
    assertTrue(all.size() > 1_000_000, "the files hold the records: " + all.size());
    assertEquals(List.of(), new PlaintextScanner(tokens).findIn(all.toByteArray()),
        "tokens found on disk in " + files);
  }
}
