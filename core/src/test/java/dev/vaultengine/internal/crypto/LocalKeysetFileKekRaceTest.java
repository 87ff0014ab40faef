package dev.vaultengine.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several KEK objects (as in several processes: each its own instance, so no shared lock) use a
 * keyset file that does not exist yet, all at once. Exactly one keyset must end up in the file, and
 * whatever any of them encrypted must decrypt with the file's key: a racer that replaced the file
 * after another had used its key would leave that other's data keyset unreadable for good.
 */
class LocalKeysetFileKekRaceTest {
  private static final int RACERS = 6;
  private static final int ROUNDS = 10;

  @Test
  void concurrentFirstUseEndsWithOneKeyEveryRacerUsed(@TempDir Path dir) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        Path file = dir.resolve("round" + round).resolve("kek.json");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<byte[]>> sealed = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
          LocalKeysetFileKek kek = new LocalKeysetFileKek(file);
          sealed.add(pool.submit(() -> {
            start.await();
            return kek.encrypt("data keyset".getBytes(StandardCharsets.UTF_8), new byte[0]);
          }));
        }
        start.countDown();
        LocalKeysetFileKek reader = new LocalKeysetFileKek(file);
        for (int i = 0; i < RACERS; i++) {
          byte[] ciphertext = sealed.get(i).get();
          byte[] plaintext;
          try {
            plaintext = reader.decrypt(ciphertext, new byte[0]);
          } catch (GeneralSecurityException e) {
            throw new AssertionError("round " + round + ": racer " + i
                + " encrypted with a key the file no longer holds", e);
          }
          assertArrayEquals("data keyset".getBytes(StandardCharsets.UTF_8), plaintext);
        }
        try (Stream<Path> left = Files.list(file.getParent())) {
          assertEquals(List.of("kek.json"), left.map(p -> p.getFileName().toString()).toList(),
              "no temporary file is left behind");
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          assertEquals("rw-------",
              PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anExistingFileIsNeverReplaced(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kek.json");
    byte[] first = new LocalKeysetFileKek(file).encrypt(new byte[] {1, 2, 3}, new byte[0]);
    String before = Files.readString(file);
    byte[] again = new LocalKeysetFileKek(file).decrypt(first, new byte[0]);
    assertArrayEquals(new byte[] {1, 2, 3}, again);
    assertEquals(before, Files.readString(file));
    assertTrue(Files.size(file) > 0);
  }

  @Test
  void aFileThatCannotBeReadIsSaidInWords(@TempDir Path dir) throws Exception {
    Path blocker = Files.writeString(dir.resolve("a-file"), "x");
    Path file = blocker.resolve("kek.json");
    dev.vaultengine.VaultException e = org.junit.jupiter.api.Assertions.assertThrows(
        dev.vaultengine.VaultException.class,
        () -> new LocalKeysetFileKek(file).encrypt(new byte[] {1}, new byte[0]));
    assertTrue(e.getMessage().startsWith("Cannot read the KEK file " + file + ": "),
        e.getMessage());
    assertTrue(!e.getMessage().contains("Exception"), "no class name: " + e.getMessage());
  }
}
