package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.ErrorType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.spi.VaultStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A directory path reaches an embedded database as exactly that path: no character of it becomes a
 * driver setting. A path a database cannot take is an {@code invalid_request_error} that creates
 * nothing.
 */
class EmbeddedPathsTest {
  @TempDir
  Path base;

  @ParameterizedTest
  @ValueSource(strings = {"semi;colon", "data;IFEXISTS=TRUE", "q?mode=memory", "hash#frag",
      "pct%41%2F", "sp ace", "bücher", "amp&cache=shared", "colon:x", "quote'\""})
  void sqliteOpensExactlyTheNamedDirectory(String name) throws IOException {
    Path dir = base.resolve(name);
    use(EmbeddedStores::sqlite, dir);
    assertTrue(Files.isRegularFile(dir.resolve("vault.db")), "vault.db in " + name);
    assertEquals(Set.of(name), entries(base), "nothing else created next to it");
    // Reopening finds the same data.
    try (JdbcVaultStore store = EmbeddedStores.sqlite(dir)) {
      assertTrue(store.loadKeyset().isPresent());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"q?mode=memory", "hash#frag", "pct%41%2F", "sp ace", "bücher",
      "amp&cache=shared", "colon:x", "quote'\""})
  void h2OpensExactlyTheNamedDirectory(String name) throws IOException {
    Path dir = base.resolve(name);
    use(EmbeddedStores::h2File, dir);
    assertTrue(Files.isRegularFile(dir.resolve("vault.mv.db")), "vault.mv.db in " + name);
    assertEquals(Set.of(name), entries(base), "nothing else created next to it");
    // H2 alone would have made it world-readable (the umask's 0644).
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("vault.mv.db"))), name);
    try (JdbcVaultStore store = EmbeddedStores.h2File(dir)) {
      assertTrue(store.loadKeyset().isPresent(), "reopened, the same data");
    }
  }

  @Test
  void h2RefusesAPathItCannotTakeInWords() throws IOException {
    Path file = Files.writeString(base.resolve("a-file"), "not a directory");
    VaultException e = assertThrows(VaultException.class,
        () -> EmbeddedStores.h2File(file.resolve("below")));
    assertEquals(ErrorType.INVALID_REQUEST, e.type(), e.getMessage());
    assertEquals("directory", e.param().orElse(null));
    assertEquals("Cannot create the H2 database " + file.resolve("below/vault.mv.db")
        .toAbsolutePath().normalize() + ": a file, not a directory, is in the way.",
        e.getMessage());
    assertEquals(Set.of("a-file"), entries(base), "nothing created");
  }

  @ParameterizedTest
  @ValueSource(strings = {"semi;colon", "data;IFEXISTS=TRUE"})
  void h2RefusesAPathItWouldReadAsSettings(String name) throws IOException {
    VaultException e = assertThrows(VaultException.class,
        () -> EmbeddedStores.h2File(base.resolve(name)));
    assertEquals(ErrorType.INVALID_REQUEST, e.type());
    assertEquals("directory", e.param().orElse(null));
    assertEquals(Set.of(), entries(base), "nothing created");
  }

  @Test
  void sqliteRefusesAPathItCannotTakeInWords() throws IOException {
    Path file = Files.writeString(base.resolve("a-file"), "not a directory");
    assertUnusable(file, "a file, not a directory, is in the way");
    assertUnusable(file.resolve("below"), "a file, not a directory, is in the way");
    assertUnusable(base.resolve("x".repeat(300)), "file name too long");
    assertEquals(Set.of("a-file"), entries(base), "nothing created");
    assertEquals("not a directory", Files.readString(file), "the file is untouched");
  }

  @Test
  void aDamagedSqliteFileIsSaidToBeOne() throws IOException {
    Path dir = Files.createDirectories(base.resolve("damaged"));
    Files.write(dir.resolve("vault.db"), new byte[8192]); // no SQLite header
    Files.writeString(dir.resolve("vault.db"), "this is not a database", StandardOpenOption.APPEND);
    VaultException e = assertThrows(VaultException.class, () -> EmbeddedStores.sqlite(dir));
    assertEquals(ErrorType.API, e.type());
    assertTrue(e.getMessage().contains("the file is not a SQLite database, or it is damaged"),
        e.getMessage());
  }

  private static void assertUnusable(Path dir, String why) {
    VaultException e = assertThrows(VaultException.class, () -> EmbeddedStores.sqlite(dir));
    assertEquals(ErrorType.INVALID_REQUEST, e.type(), e.getMessage());
    assertEquals("directory", e.param().orElse(null));
    assertEquals("Cannot create the SQLite database " + dir.resolve("vault.db").toAbsolutePath()
        .normalize() + ": " + why + ".", e.getMessage());
  }

  private static void use(Function<Path, JdbcVaultStore> open, Path dir) {
    VaultStore store = open.apply(dir);
    try (VaultEngine engine = VaultEngine.builder().store(store)
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.getParent().resolve("kek-"
            + Integer.toHexString(dir.getFileName().toString().hashCode()) + ".json")))
        .build()) {
      engine.forAccount("acme").createVault(CreateVaultRequest.builder().displayName("v")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://a.example/mcp")
              .protocol(Protocol.SSE).accessToken(Secret.of("tok_paths_1")).build())
          .build());
    }
  }

  private static Set<String> entries(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("kek-"))
          .collect(Collectors.toSet());
    }
  }
}
