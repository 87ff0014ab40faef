package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.ErrorType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.memory.InMemoryVaultStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeysetFileKekTest {
  @TempDir
  Path dir;

  private String createAndResolve(KeyEncryptionKey kek, InMemoryVaultStore store) {
    try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).build()) {
      var vaults = engine.forAccount("a");
      String id = vaults.createVault(CreateVaultRequest.builder().displayName("v")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://a.example/")
              .protocol(Protocol.SSE).accessToken("tok_file_kek").build()).build()).vault().id();
      return vaults.openSession(List.of(id)).resolve("https://a.example/").orElseThrow()
          .credentialId();
    }
  }

  @Test
  void isCreatedOnFirstUseForItsOwnerOnlyAndOpensTheStoreAgain() throws Exception {
    Path file = dir.resolve("nested/kek.json");
    InMemoryVaultStore store = new InMemoryVaultStore();
    createAndResolve(KeyEncryptionKey.localKeysetFile(file), store);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    // A new KEK object reading the same file opens the same store.
    try (VaultEngine again = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(file)).build()) {
      assertEquals(1, again.forAccount("a").listVaults(null).data().size());
    }
  }

  @Test
  void aFileOthersCanReadIsRefused() throws Exception {
    VaultException e = refusedWith("rw-r--r--");
    assertEquals(ErrorType.API, e.type());
    assertTrue(e.getMessage().contains("rw-r--r--") && e.getMessage().contains("chmod 600"),
        e.getMessage());
  }

  /** The error of opening a KEK file made, then given {@code permissions}. */
  private VaultException refusedWith(String permissions) throws Exception {
    Path file = dir.resolve("kek.json");
    createAndResolve(KeyEncryptionKey.localKeysetFile(file), new InMemoryVaultStore());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return assertThrows(VaultException.class,
        () -> createAndResolve(KeyEncryptionKey.localKeysetFile(file), new InMemoryVaultStore()));
  }

  @Test
  void aDirectoryIsRefusedAsADirectory() throws Exception {
    // A temporary directory is rwx------: owner-only, so "accessible to its group or others"
    // would be false.
    VaultException e = assertThrows(VaultException.class,
        () -> createAndResolve(KeyEncryptionKey.localKeysetFile(dir), new InMemoryVaultStore()));
    assertEquals(ErrorType.API, e.type());
    assertEquals("The KEK file " + dir.toAbsolutePath() + " is a directory; give the path of the "
        + "keyset file (it is created there on first use).", e.getMessage());
  }

  @Test
  void anOwnerExecuteBitIsRefusedInItsOwnWords() throws Exception {
    VaultException e = refusedWith("rwx------");
    assertEquals("The KEK file " + dir.resolve("kek.json").toAbsolutePath() + " has permissions "
        + "beyond read and write for its owner (rwx------); restrict it to its owner (chmod 600).",
        e.getMessage());
  }

  @Test
  void aFileThatIsNotAKeysetIsRefusedClearly() throws Exception {
    Path file = dir.resolve("kek.json");
    Files.writeString(file, "{\"not\": \"a keyset\"}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    VaultException e = assertThrows(VaultException.class,
        () -> createAndResolve(KeyEncryptionKey.localKeysetFile(file), new InMemoryVaultStore()));
    assertTrue(e.getMessage().contains("does not hold a valid Tink AEAD keyset"), e.getMessage());
  }
}
