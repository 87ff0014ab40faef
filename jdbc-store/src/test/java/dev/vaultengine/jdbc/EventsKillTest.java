package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host killed (SIGKILL) between commit and delivery gets every event after restart: a child
 * JVM on the embedded default creates credentials while its durable subscriber prints what it
 * handles, and is killed at random moments (often with events committed and not yet delivered).
 * Across all runs every committed event is delivered; each run starts right after the position
 * the last one acknowledged (at most the one event whose acknowledgment the kill cut off comes
 * again) and delivers in sequence order without a gap.
 *
 * <p>{@code -Dvault.eventKills=N} (default 8), {@code -Dvault.seed=N} for the kill moments.
 */
class EventsKillTest {
  @TempDir
  Path dir;

  private Process child(Path data, String arg) throws Exception {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        EventsKillTarget.class.getName(), data.toString(), arg)
        .redirectError(dir.resolve("child.err").toFile()).start();
  }

  @Test
  void everyCommittedEventReachesTheDurableSubscriberAcrossKills() throws Exception {
    Path data = dir.resolve("vault-data");
    long seed = Long.getLong("vault.seed", System.nanoTime());
    Random random = new Random(seed);
    int kills = Integer.getInteger("vault.eventKills", 8);
    List<List<Long>> runs = new ArrayList<>();
    int next = 0;
    for (int kill = 0; kill <= kills; kill++) {
      boolean drain = kill == kills;
      Process p = child(data, drain ? "drain" : Integer.toString(next));
      next += 100_000;
      BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      List<Long> delivered = new ArrayList<>();
      runs.add(delivered);
      if (drain) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("EVT ")) {
            delivered.add(Long.parseLong(line.split(" ")[1]));
          } else {
            assertEquals("DRAINED", line, Files.readString(dir.resolve("child.err")));
          }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("child.err")));
        break;
      }
      long killAt = 0;
      String line;
      while (true) {
        if (killAt != 0 && System.nanoTime() >= killAt) {
          break;
        }
        if (killAt == 0 || out.ready()) {
          line = out.readLine();
          if (line == null) {
            throw new AssertionError("child ended: " + Files.readString(dir.resolve("child.err")));
          }
          if (line.equals("READY")) {
            killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100 + random.nextInt(600));
          } else if (line.startsWith("EVT ")) {
            delivered.add(Long.parseLong(line.split(" ")[1]));
          }
        } else {
          Thread.sleep(1);
        }
      }
      new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      while ((line = out.readLine()) != null) {
        if (line.startsWith("EVT ")) {
          delivered.add(Long.parseLong(line.split(" ")[1]));
        }
      }
    }

    // What the store holds: every event committed.
    TreeSet<Long> committed = new TreeSet<>();
    long vaultCreated = -1;
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.sqlite(data))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"))).build()) {
      long after = 0;
      while (true) {
        List<VaultEvent> page = engine.events().read(after, 1000);
        for (VaultEvent e : page) {
          committed.add(e.sequence());
          if (e.type() == dev.vaultengine.EventType.VAULT_CREATED) {
            vaultCreated = e.sequence();
          }
        }
        if (page.size() < 1000) {
          break;
        }
        after = page.get(page.size() - 1).sequence();
      }
    }
    TreeSet<Long> seen = new TreeSet<>();
    runs.forEach(seen::addAll);
    // The subscriber registered in the first run, right after the vault's creation event.
    long first = vaultCreated + 1;
    TreeSet<Long> expected = new TreeSet<>(committed.tailSet(first));
    expected.removeAll(seen);
    assertEquals(new TreeSet<>(), expected, "committed events never delivered (seed " + seed
        + ")");
    long repeats = 0;
    long last = first - 1;
    for (int i = 0; i < runs.size(); i++) {
      List<Long> run = runs.get(i);
      for (int j = 1; j < run.size(); j++) {
        assertEquals(run.get(j - 1) + 1, run.get(j), "run " + i + " delivers in order, no gap");
      }
      if (!run.isEmpty()) {
        long start = run.get(0);
        assertTrue(start == last + 1 || start == last, "run " + i + " starts at " + start
            + " after " + last + " was handled: it resumes at the acknowledged position");
        repeats += start == last ? 1 : 0;
        last = run.get(run.size() - 1);
      }
    }
    assertEquals(committed.last(), last, "the drain run ends at the last committed event");
    System.out.println("EventsKillTest: " + kills + " kills, " + committed.tailSet(first).size()
        + " events committed, all delivered, " + repeats + " delivered twice (an acknowledgment "
        + "cut off by a kill), seed " + seed);
  }
}
