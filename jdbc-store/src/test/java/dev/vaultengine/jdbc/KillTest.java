package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM writing to the embedded H2 file is killed with SIGKILL 20 times at random moments;
 * after each kill the database must open and hold every credential whose create had returned.
 *
 * <p>Tagged {@code durability} and left out of the default build: with H2 2.5.252 it fails now and
 * then, more often under CPU load (the last one or two returned creates missing after restart;
 * {@link H2KillRepro} shows it without the engine; see docs/decisions.md). Run it with
 * {@code mvn verify -pl jdbc-store -am -Dvault.durability=true}.
 */
@Tag("durability")
class KillTest {
  private static final int KILLS = 20;

  @TempDir
  Path dir;

  static String token(int seq) {
    return "tok_kill_" + seq + "_" + Integer.toHexString(seq * 7919);
  }

  @Test
  void everyReturnedCreateSurvivesSigkill() throws Exception {
    Path data = dir.resolve("vault-data");
    Random random = new Random(Long.getLong("vault.seed", System.nanoTime()));
    Map<Integer, String> returned = new TreeMap<>();
    String vaultId = null;
    int next = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      int childStart = next;
      Process child = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          KillTarget.class.getName(), data.toString(), Integer.toString(next))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertTrue(ready != null && ready.startsWith("READY "), "child did not start: " + ready);
      String readyVault = ready.substring(6);
      if (vaultId != null) {
        assertEquals(vaultId, readyVault, "the vault created by the first child was lost");
      }
      vaultId = readyVault;
      long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.getLong("vault.killMinMs", 50) + random.nextInt(Integer.getInteger("vault.killSpanMs", 400)));
      // Read what the child reports until the moment comes, then kill it mid-write.
      while (System.nanoTime() < killAt) {
        if (out.ready()) {
          record(out.readLine(), returned);
        } else {
          Thread.sleep(1);
        }
      }
      // SIGKILL through kill(1): Process.destroyForcibly() would also close our end of the pipe
      // and lose lines the child printed (creates that had returned) before it died.
      assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start()
          .waitFor());
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, child.exitValue(), "killed by SIGKILL");
      String line;
      while ((line = out.readLine()) != null) { // what it printed before dying had returned
        record(line, returned);
      }
      // Skip ahead so no URL of a create that may have half-happened is ever reused.
      next = (returned.isEmpty() ? next : ((TreeMap<Integer, String>) returned).lastKey()) + 1000;
      List<String> missing = missing(data, vaultId, returned);
      assertEquals(List.of(), missing, "after kill " + (kill + 1) + " (this child started at seq "
          + childStart + ", " + returned.size() + " creates returned so far)");
    }
    assertTrue(returned.size() >= KILLS, "too few creates to mean anything: " + returned.size());
    System.out.println("KillTest: " + KILLS + " SIGKILLs survived, " + returned.size()
        + " returned creates all present");
  }

  private static void record(String line, Map<Integer, String> returned) {
    if (line != null && line.startsWith("OK ")) {
      String[] parts = line.split(" ");
      returned.put(Integer.parseInt(parts[1]), parts[2]);
    }
  }

  /** The returned creates (as "seq") that the database does not hold with their token. */
  private static List<String> missing(Path data, String vaultId, Map<Integer, String> returned) {
    List<String> missing = new java.util.ArrayList<>();
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.h2File(data))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"))).build()) {
      VaultService vaults = engine.forAccount("kill");
      VaultSession session = vaults.openSession(List.of(vaultId));
      for (Map.Entry<Integer, String> e : returned.entrySet()) {
        String url = "https://svc" + e.getKey() + ".example/mcp";
        var resolved = session.resolve(url);
        if (resolved.isEmpty() || !resolved.get().credentialId().equals(e.getValue())
            || !resolved.get().accessToken().sameAs(Secret.of(token(e.getKey())))) {
          missing.add(Integer.toString(e.getKey()));
        }
      }
    }
    return missing;
  }
}
