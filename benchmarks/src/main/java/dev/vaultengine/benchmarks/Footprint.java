package dev.vaultengine.benchmarks;

import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Space per stored credential: heap bytes in the in-memory store, and H2 file bytes. Prints JSON.
 */
public final class Footprint {
  private static final int CREDENTIALS = 50_000;

  private Footprint() {}

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Prints {@code {"memory_heap_bytes_per_credential":..,"h2_file_bytes_per_credential":..}}. */
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
    System.out.printf(java.util.Locale.ROOT, "{\"credentials\": %d, "
        + "\"memory_heap_bytes_per_credential\": %.0f, \"h2_file_bytes_per_credential\": %.0f}%n",
        CREDENTIALS, heapPer, fileBytes / (double) CREDENTIALS);
  }
}
