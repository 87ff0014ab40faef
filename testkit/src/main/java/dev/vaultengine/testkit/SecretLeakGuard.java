package dev.vaultengine.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Watches a test class for leaked secrets: every secret the fixtures write (access tokens,
 * refresh tokens, client secrets, secret values) is registered, and every log record
 * (java.util.logging, where {@code System.Logger} goes by default), everything printed to standard
 * output and error, and every exception and result text the tests capture is searched for them,
 * as written, in Base64 and in UTF-16, when the class ends.
 */
public final class SecretLeakGuard {
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final StringBuffer captured = new StringBuffer();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final boolean echo;
  private PrintStream originalOut;
  private PrintStream originalErr;
  private Handler handler;

  /** A guard that passes captured output through to the console. */
  public SecretLeakGuard() {
    this(true);
  }

  /** A guard that passes captured output through to the console only if {@code echo}. */
  public SecretLeakGuard(boolean echo) {
    this.echo = echo;
  }

  /** Starts capturing logs and standard output and error. */
  public synchronized void start() {
    handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        captured.append(r.getLevel()).append(' ').append(r.getMessage()).append('\n');
        if (r.getThrown() != null) {
          record(r.getThrown());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger.getLogger("").addHandler(handler);
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(new Tee(originalOut), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(originalErr), true, StandardCharsets.UTF_8));
  }

  /** Stops capturing and restores standard output and error. */
  public synchronized void stop() {
    Logger.getLogger("").removeHandler(handler);
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  /** Registers a secret of any kind that must never show up (at least 6 characters). */
  public void token(String token) {
    if (token != null && token.length() >= 6) {
      tokens.add(token);
    }
  }

  /** Records an exception: its text, stack trace and causes. */
  public void record(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    captured.append(t).append('\n').append(w).append('\n');
  }

  /** Records any text a caller could see, such as a result's {@code toString}. */
  public void record(Object shown) {
    captured.append(shown).append('\n');
  }

  /**
   * The registered secrets found in what was captured, as text, in Base64 (standard and URL-safe,
   * at every alignment) or as UTF-16 read as single bytes; empty when nothing leaked. One pass over
   * the captured text, looking each position up by the six characters every watched form has at
   * least: a suite watches tens of thousands of secrets over megabytes of captured stack traces,
   * and searching the text once per secret took minutes.
   */
  public synchronized List<String> leaks() {
    String all = captured + "\n" + printed.toString(StandardCharsets.UTF_8);
    java.util.Map<String, List<String[]>> byStart = new java.util.HashMap<>();
    for (String token : tokens) {
      for (String[] needle : needles(token)) {
        byStart.computeIfAbsent(needle[0].substring(0, 6), k -> new ArrayList<>()).add(needle);
      }
    }
    Set<String> found = new java.util.LinkedHashSet<>();
    for (int i = 0; i + 6 <= all.length(); i++) {
      List<String[]> candidates = byStart.get(all.substring(i, i + 6));
      if (candidates != null) {
        for (String[] needle : candidates) {
          if (all.startsWith(needle[0], i)) {
            found.add("a token of length " + needle[2].length() + " starting "
                + needle[2].substring(0, 3) + " (" + needle[1] + ")");
          }
        }
      }
    }
    return new ArrayList<>(found);
  }

  /** The forms of {@code token} searched for: {needle, form, token}, each at least 6 long. */
  private static List<String[]> needles(String token) {
    List<String[]> out = new ArrayList<>();
    out.add(new String[] {token, "text", token});
    byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
    for (int align = 0; align < 3; align++) {
      byte[] shifted = new byte[align + utf8.length];
      System.arraycopy(utf8, 0, shifted, align, utf8.length);
      for (var encoder : List.of(java.util.Base64.getEncoder(), java.util.Base64.getUrlEncoder())) {
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        // Only the characters that depend on the token alone.
        int from = align == 0 ? 0 : 4;
        int to = (shifted.length % 3 == 0) ? encoded.length() : (shifted.length / 3) * 4;
        if (to - from >= 8) {
          out.add(new String[] {encoded.substring(from, to), "base64", token});
        }
      }
    }
    out.add(new String[] {new String(token.getBytes(StandardCharsets.UTF_16LE),
        StandardCharsets.ISO_8859_1), "utf-16", token});
    out.add(new String[] {new String(token.getBytes(StandardCharsets.UTF_16BE),
        StandardCharsets.ISO_8859_1), "utf-16", token});
    return out;
  }

  /** How many tokens are watched. */
  public int watched() {
    return tokens.size();
  }

  private final class Tee extends java.io.OutputStream {
    private final PrintStream original;

    Tee(PrintStream original) {
      this.original = original;
    }

    @Override
    public void write(int b) {
      synchronized (printed) {
        printed.write(b);
      }
      if (echo) {
        original.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (printed) {
        printed.write(b, off, len);
      }
      if (echo) {
        original.write(b, off, len);
      }
    }
  }
}
