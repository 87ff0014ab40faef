package dev.vaultengine.oauth;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures, around a call, everything the process logs through java.util.logging (every logger at
 * every level, so the JDK HTTP client's debug records are seen too) and everything printed to
 * System.out and System.err, so a test can say that none of it holds a secret.
 *
 * <p>Tomcat's own loggers (the test's server side, which at debug level logs the bytes it
 * receives) are held at INFO: the guard watches the client.
 */
final class LeakGuard {

  /** What a call returned and what the process logged and printed while it ran. */
  record Watched<T>(T result, String logs, int logRecords, String printed) {}

  private LeakGuard() {}

  static <T> Watched<T> watch(Callable<T> call) throws Exception {
    Logger root = Logger.getLogger("");
    Logger tomcat = Logger.getLogger("org.apache");
    Level rootLevel = root.getLevel();
    Level tomcatLevel = tomcat.getLevel();
    StringBuffer logs = new StringBuffer();
    int[] count = {0};
    Handler handler = new Handler() {
      @Override
      public synchronized void publish(LogRecord record) {
        count[0]++;
        logs.append(record.getLoggerName()).append(' ').append(record.getMessage());
        if (record.getParameters() != null) {
          for (Object parameter : record.getParameters()) {
            logs.append(' ').append(parameter);
          }
        }
        if (record.getThrown() != null) {
          StringWriter trace = new StringWriter();
          record.getThrown().printStackTrace(new PrintWriter(trace));
          logs.append(' ').append(trace);
        }
        logs.append('\n');
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    handler.setLevel(Level.ALL);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    root.addHandler(handler);
    root.setLevel(Level.ALL);
    tomcat.setLevel(Level.INFO);
    System.setOut(new PrintStream(tee(out, printed), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(tee(err, printed), true, StandardCharsets.UTF_8));
    try {
      T result = call.call();
      synchronized (handler) {
        return new Watched<>(result, logs.toString(), count[0],
            printed.toString(StandardCharsets.UTF_8));
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
      root.removeHandler(handler);
      root.setLevel(rootLevel);
      tomcat.setLevel(tomcatLevel);
    }
  }

  /** Fails if any of {@code secrets} is in the result's text, the logs or the printed output. */
  static void assertNoLeak(Watched<?> watched, List<String> secrets) {
    String result = String.valueOf(watched.result());
    for (String secret : secrets) {
      if (result.contains(secret)) {
        fail("a secret is in the outcome: " + result.replace(secret, "<SECRET>"));
      }
      if (watched.logs().contains(secret)) {
        fail("a secret is in the logs");
      }
      if (watched.printed().contains(secret)) {
        fail("a secret was printed");
      }
    }
  }

  private static OutputStream tee(OutputStream first, ByteArrayOutputStream second) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (second) {
          second.write(b);
        }
        try {
          first.write(b);
        } catch (java.io.IOException e) {
          // the original stream is not ours to fail
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (second) {
          second.write(b, off, len);
        }
        try {
          first.write(b, off, len);
        } catch (java.io.IOException e) {
          // the original stream is not ours to fail
        }
      }
    };
  }
}
