package dev.vaultengine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in this process against one data directory. */
final class CliRunner {
  /** One run's outcome. */
  record Result(int exitCode, String out, String err) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out + err, e);
      }
    }

    JsonNode error() {
      try {
        return Json.MAPPER.readTree(err);
      } catch (Exception e) {
        throw new AssertionError("not a JSON error: " + err, e);
      }
    }
  }

  private final Path dataDir;

  CliRunner(Path dataDir) {
    this.dataDir = dataDir;
  }

  Result input(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = VaultCli.execute(all.toArray(String[]::new),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  Result run(String... args) {
    return input("", args);
  }

  /**
   * Waits for a CLI started in another JVM and collects its output (standard error on a thread of
   * its own, so that neither pipe fills while the other is read).
   */
  static Result finish(Process p) throws Exception {
    java.util.concurrent.FutureTask<byte[]> err = new java.util.concurrent.FutureTask<>(
        () -> p.getErrorStream().readAllBytes());
    Thread reader = new Thread(err, "cli-stderr");
    reader.setDaemon(true);
    reader.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the command did not end");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
        new String(err.get(), StandardCharsets.UTF_8));
  }
}
