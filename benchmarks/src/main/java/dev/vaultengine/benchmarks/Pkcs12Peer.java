package dev.vaultengine.benchmarks;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peer: what many Java programs use instead, a PKCS12 {@code KeyStore} file as the secret store,
 * one entry per credential, saved after each write, with 10,000 secrets already in it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class Pkcs12Peer {
  private static final char[] PASSWORD = "benchmark-password".toCharArray();

  private KeyStore keyStore;
  private Path file;
  private final KeyStore.ProtectionParameter protection =
      new KeyStore.PasswordProtection(PASSWORD);
  private final AtomicLong counter = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    file = Fixtures.tempDir("bench-pkcs12-").resolve("secrets.p12");
    keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, PASSWORD);
    for (int i = 0; i < 10_000; i++) {
      keyStore.setEntry("prefill-" + i, entry(), protection);
    }
    save();
  }

  private static KeyStore.SecretKeyEntry entry() {
    return new KeyStore.SecretKeyEntry(new SecretKeySpec(
        Fixtures.TOKEN.getBytes(StandardCharsets.UTF_8), "AES"));
  }

  private void save() throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      keyStore.store(out, PASSWORD);
    }
  }

  /** One secret written the way such programs do: set the entry, save the whole file. */
  @Benchmark
  public void pkcs12Write() throws Exception {
    keyStore.setEntry("cred-" + counter.incrementAndGet(), entry(), protection);
    save();
  }
}
