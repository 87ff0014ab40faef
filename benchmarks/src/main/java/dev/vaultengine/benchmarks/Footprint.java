package dev.vaultengine.benchmarks;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Space per stored credential: heap bytes in the in-memory store and H2 file bytes (50,000
 * credentials written 100 per vault creation), and SQLite file bytes after 10,000 credentials
 * written one commit each, as a host adds them. Prints JSON.
 */
public final class Footprint {
  private static final int CREDENTIALS = 50_000;
  private static final int SINGLE_CREATES = 10_000;

  private Footprint() {}

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long bytes(Path dir, String... names) throws IOException {
    long sum = 0;
    for (String name : names) {
      Path p = dir.resolve(name);
      sum += Files.exists(p) ? Files.size(p) : 0;
    }
    return sum;
  }

  /**
   * SQLite file bytes ({@code vault.db}, {@code vault.db-wal} and {@code vault.db-shm}) after
   * 10,000 credentials in 100 vaults, each credential in a commit of its own (the first of a vault
   * with the vault, the other 99 by create credential): {@code [store open, store closed]}. While
   * the store is open the write-ahead log holds what the last checkpoint left; closing the last
   * connection checkpoints it into the database and removes it.
   */
  private static long[] sqliteBytes(String kind) throws IOException {
    Path dir = Fixtures.tempDir("footprint-" + kind + "-");
    long open;
    try (VaultEngine engine = Fixtures.engine(kind, dir)) {
      VaultService vaults = engine.forAccount("bench");
      for (int v = 0; v < SINGLE_CREATES / 100; v++) {
        String vaultId = Fixtures.vaultWith(vaults, "fill " + v, "https://fill0.example/mcp");
        for (int c = 1; c < 100; c++) {
          vaults.createCredential(vaultId, CreateCredentialRequest.builder()
              .mcpServerUrl("https://fill" + c + ".example/mcp").protocol(Protocol.SSE)
              .accessToken(Fixtures.TOKEN).build());
        }
      }
      open = bytes(dir, "vault.db", "vault.db-wal", "vault.db-shm");
    }
    return new long[] {open, bytes(dir, "vault.db", "vault.db-wal", "vault.db-shm")};
  }

  /**
   * Prints {@code {"memory_heap_bytes_per_credential":..,"h2_file_bytes_per_credential":..,
   * "sqlite_file_bytes_per_credential":..,...}}.
   */
  public static void main(String[] args) throws Exception {
    Path memDir = Fixtures.tempDir("footprint-mem-");
    VaultEngine memory = Fixtures.engine("memory", memDir);
    VaultService vaults = memory.forAccount("bench");
    long before = usedHeap();
    Fixtures.fill(vaults, CREDENTIALS);
    long after = usedHeap();
    double heapPer = (after - before) / (double) CREDENTIALS;
    memory.close();

    Path h2Dir = Fixtures.tempDir("footprint-h2-");
    try (VaultEngine h2 = Fixtures.engine("h2file", h2Dir)) {
      Fixtures.fill(h2.forAccount("bench"), CREDENTIALS);
    }
    long fileBytes;
    try (Stream<Path> files = Files.list(h2Dir)) {
      fileBytes = files.filter(p -> p.getFileName().toString().endsWith(".mv.db"))
          .mapToLong(p -> p.toFile().length()).sum();
    }
    long[] full = sqliteBytes("sqlite");
    long[] normal = sqliteBytes("sqlite_normal");
    System.out.printf(Locale.ROOT, "{\"credentials\": %d, "
        + "\"memory_heap_bytes_per_credential\": %.0f, \"h2_file_bytes_per_credential\": %.0f, "
        + "\"sqlite_credentials\": %d, "
        + "\"sqlite_file_bytes_per_credential\": %.0f, "
        + "\"sqlite_normal_file_bytes_per_credential\": %.0f, "
        + "\"sqlite_closed_file_bytes_per_credential\": %.0f, "
        + "\"sqlite_normal_closed_file_bytes_per_credential\": %.0f}%n",
        CREDENTIALS, heapPer, fileBytes / (double) CREDENTIALS, SINGLE_CREATES,
        full[0] / (double) SINGLE_CREATES, normal[0] / (double) SINGLE_CREATES,
        full[1] / (double) SINGLE_CREATES, normal[1] / (double) SINGLE_CREATES);
  }
}
