package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.jdbc.EmbeddedStores;
import dev.vaultengine.testkit.RecordingStore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default shared by two processes: this JVM is a host with a session resolving one URL
 * in a loop, while the {@code vault} command, run as another process on the same data directory,
 * rotates, archives, creates and deletes; and several commands started at once on one data
 * directory, fresh or not, all succeed and agree on one key.
 */
class CliTwoProcessesTest {
  private static final String URL = "https://mcp.example/sse";

  @TempDir
  Path dir;

  /** Starts {@code vault --data-dir DATA args...} in another JVM, {@code stdin} on its input. */
  private static Process start(Path data, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", // a short-lived command: start fast
        "-cp", System.getProperty("java.class.path"), VaultCli.class.getName(),
        "--data-dir", data.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    return p;
  }

  private static CliRunner.Result cli(Path data, String stdin, String... args) throws Exception {
    CliRunner.Result r = CliRunner.finish(start(data, stdin, args));
    assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.err());
    return r;
  }

  /** One resolve of the host's loop: when it started and what it returned. */
  private record Sample(long startedNanos, String result) {}

  /** One change made by the command: when it was started and ended, and the state it left. */
  private record Step(long spawnedNanos, long exitedNanos, String state) {}

  private static String describe(Optional<ResolvedCredential> r) {
    return r.map(c -> c.credentialId() + "/" + c.accessToken().reveal()).orElse("nothing");
  }

  @Test
  void theHostSeesEachChangeOfTheCommandAtItsNextResolveAndNeverFails() throws Exception {
    RecordingStore store = new RecordingStore(EmbeddedStores.sqlite(dir));
    try (VaultEngine host = VaultEngine.builder().store(store)
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"))).build()) {
      VaultService vaults = host.forAccount("default"); // the command's default account
      JsonNode created = cli(dir, "tok-first\n", "vaults", "create", "--display-name", "shared",
          "--credential", URL + ",sse").json();
      String vaultId = created.get("id").asText();
      String firstId = created.get("credentials").get(0).get("id").asText();
      VaultSession session = vaults.openSession(List.of(vaultId));
      List<Step> steps = new ArrayList<>();
      steps.add(new Step(0, System.nanoTime(), firstId + "/tok-first"));

      ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      Thread loop = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          long started = System.nanoTime();
          try {
            samples.add(new Sample(started, describe(session.resolve(URL))));
          } catch (RuntimeException ex) {
            failures.add(ex.toString());
          }
          try {
            Thread.sleep(1);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }, "host-session-loop");
      loop.start();
      long readsBefore = store.reads();
      try {
        Thread.sleep(200);
        long spawned = System.nanoTime();
        String secondId = cli(dir, "tok-second\n", "credentials", "rotate", vaultId, firstId)
            .json().get("id").asText();
        steps.add(new Step(spawned, System.nanoTime(), secondId + "/tok-second"));
        assertEquals(secondId + "/tok-second", describe(session.resolve(URL)),
            "the new token at the next resolve after rotate");
        Thread.sleep(200);

        spawned = System.nanoTime();
        cli(dir, "", "credentials", "archive", vaultId, secondId);
        steps.add(new Step(spawned, System.nanoTime(), "nothing"));
        assertEquals("nothing", describe(session.resolve(URL)), "nothing after archive");
        Thread.sleep(200);

        spawned = System.nanoTime();
        String thirdId = cli(dir, "tok-third\n", "credentials", "create", vaultId,
            "--mcp-server-url", URL, "--protocol", "sse").json().get("id").asText();
        steps.add(new Step(spawned, System.nanoTime(), thirdId + "/tok-third"));
        assertEquals(thirdId + "/tok-third", describe(session.resolve(URL)), "a new credential");
        Thread.sleep(200);

        spawned = System.nanoTime();
        cli(dir, "", "credentials", "delete", vaultId, thirdId);
        steps.add(new Step(spawned, System.nanoTime(), "nothing"));
        assertEquals("nothing", describe(session.resolve(URL)), "nothing after delete");
        Thread.sleep(200);
      } finally {
        loop.interrupt();
        loop.join(10_000);
      }
      long reads = store.reads() - readsBefore;
      assertEquals(List.of(), List.copyOf(failures), "the host's loop never fails");
      // Every resolve of the loop that started after a command ended, and before the next one
      // was started, returned the state that command left; one that overlapped a command
      // returned the state before or after it.
      int[] quiet = new int[steps.size()];
      for (Sample sample : samples) {
        for (int k = steps.size() - 1; k >= 0; k--) {
          Step step = steps.get(k);
          if (sample.startedNanos() > step.exitedNanos()) {
            assertEquals(step.state(), sample.result(), "a resolve after change " + k);
            quiet[k]++;
            break;
          }
          if (sample.startedNanos() > step.spawnedNanos()) {
            assertTrue(sample.result().equals(step.state())
                || sample.result().equals(steps.get(k - 1).state()),
                "a resolve during change " + k + " returned " + sample.result());
            break;
          }
        }
      }
      for (int k = 0; k < quiet.length; k++) {
        assertTrue(quiet[k] > 0, "the loop resolved after change " + k);
      }
      System.out.println("CliTwoProcessesTest: " + samples.size() + " resolves in the host's "
          + "loop, " + reads + " store reads, resolves after each change " + java.util.Arrays
          .toString(quiet));
      assertTrue(reads * 5 < samples.size(), "repeated resolves were answered without a store "
          + "read between the command's changes: " + reads + " reads for " + samples.size()
          + " resolves");
    }
  }

  @Test
  void fourCommandsAtOnceOnAFreshDataDirectoryAndOnAnExistingOneAllSucceed() throws Exception {
    Path data = dir.resolve("fresh");
    List<String> tokens = new ArrayList<>();
    for (int round = 0; round < 2; round++) { // fresh: the schema and the KEK are created
      List<Process> started = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String token = "tok-race-" + round + "-" + i;
        tokens.add(token);
        started.add(start(data, token + "\n", "vaults", "create", "--display-name",
            "p" + round + i, "--credential", "https://p" + round + i + ".example/mcp,sse"));
      }
      for (int i = 0; i < 4; i++) {
        CliRunner.Result r = CliRunner.finish(started.get(i));
        assertEquals(0, r.exitCode(), (round == 0 ? "fresh" : "existing") + " data directory, "
            + "command " + i + ": " + r.err());
      }
    }
    // Every token decrypts with the one KEK in the directory: no racer wrapped with its own.
    try (VaultEngine host = VaultEngine.builder().store(EmbeddedStores.sqlite(data))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"))).build()) {
      VaultService vaults = host.forAccount("default");
      var all = vaults.listVaults(null).data();
      assertEquals(8, all.size());
      for (var v : all) {
        String name = v.displayName();
        var resolved = vaults.openSession(List.of(v.id()))
            .resolve("https://" + name + ".example/mcp").orElseThrow();
        String round = name.substring(1, 2);
        String i = name.substring(2, 3);
        assertTrue(resolved.accessToken().sameAs(Secret.of("tok-race-" + round + "-" + i)), name);
      }
    }
  }
}
