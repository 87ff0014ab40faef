package dev.vaultengine.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds secrets in raw bytes (a database file, a dump of a store's memory, captured output) in
 * every form a careless store might keep them: UTF-8, UTF-16 (either byte order) and Base64
 * (standard and URL-safe, at every alignment). Any text works, also non-ASCII (a secret value may
 * hold any letter): the needles are the secret's own bytes in each encoding. One pass over the
 * bytes, whatever the number of secrets and forms.
 */
public final class PlaintextScanner {
  /** One form of one secret. */
  private record Needle(String form, String bytes) {}

  /** Needles by their first {@link #prefix} bytes (as Latin-1 text, one char per byte). */
  private final Map<String, List<Needle>> byPrefix = new HashMap<>();
  private final int prefix;

  /**
   * A scanner for {@code secrets}, each at least 8 characters long (a shorter one would match by
   * chance).
   */
  public PlaintextScanner(Collection<String> secrets) {
    List<Needle> all = new ArrayList<>();
    for (String secret : secrets) {
      byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
      all.add(new Needle("utf-8", latin1(utf8)));
      all.add(new Needle("utf-16le", latin1(secret.getBytes(StandardCharsets.UTF_16LE))));
      all.add(new Needle("utf-16be", latin1(secret.getBytes(StandardCharsets.UTF_16BE))));
      for (int align = 0; align < 3; align++) {
        byte[] shifted = new byte[align + utf8.length];
        System.arraycopy(utf8, 0, shifted, align, utf8.length);
        for (var encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
          String encoded = encoder.withoutPadding().encodeToString(shifted);
          // Keep only the characters that depend on the secret alone.
          int from = align == 0 ? 0 : 4;
          int to = (shifted.length % 3 == 0) ? encoded.length() : (shifted.length / 3) * 4;
          if (to - from >= 8) {
            all.add(new Needle("base64/" + align, encoded.substring(from, to)));
          }
        }
      }
    }
    // Index by as many leading bytes as every needle has (up to 24): secrets often share a
    // prefix such as "tok_", and their UTF-16 forms have half as many characters per byte.
    int shortest = 24;
    for (Needle n : all) {
      shortest = Math.min(shortest, n.bytes().length());
    }
    prefix = Math.max(1, shortest);
    for (Needle n : all) {
      byPrefix.computeIfAbsent(n.bytes().substring(0, prefix), k -> new ArrayList<>()).add(n);
    }
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Descriptions ("utf-8 at byte 1234") of every secret found in {@code bytes}; never the secret. */
  public List<String> findIn(byte[] bytes) {
    String hay = latin1(bytes);
    List<String> found = new ArrayList<>();
    for (int i = 0; i + prefix <= hay.length(); i++) {
      List<Needle> candidates = byPrefix.get(hay.substring(i, i + prefix));
      if (candidates == null) {
        continue;
      }
      Set<String> forms = new HashSet<>();
      for (Needle n : candidates) {
        if (hay.startsWith(n.bytes(), i) && forms.add(n.form())) {
          found.add(n.form() + " at byte " + i);
        }
      }
    }
    return found;
  }

  /**
   * Descriptions ("vault.db: utf-8 at byte 1234") of every secret found in any regular file under
   * {@code directory}, such as a store's data directory after its engine closed.
   */
  public List<String> findInDirectory(Path directory) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    List<String> found = new ArrayList<>();
    for (Path f : files) {
      for (String where : findIn(Files.readAllBytes(f))) {
        found.add(directory.relativize(f) + ": " + where);
      }
    }
    return found;
  }
}
