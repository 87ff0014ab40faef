package dev.vaultengine.jdbc;

import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.MessageDigest;
import java.sql.*;
import java.util.*;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Reproduces the H2 loss seen by {@link KillTest} without the engine or Jdbi: raw H2 JDBC, the
 * store's schema and the same transaction as {@code JdbcVaultStore.insertCredential}
 * ({@code SELECT ... FOR UPDATE} on the vault, {@code INSERT} the credential, commit), a child JVM
 * killed with SIGKILL at random moments, then every create that had returned is looked up.
 * Seen in this project: 100 kills under CPU load (two busy loops), 3,557 creates kept, one kill
 * lost a returned create. Not a test: run it by hand, e.g. with the test classpath,
 * {@code java -cp ... dev.vaultengine.jdbc.H2KillRepro 100}.
 */
public final class H2KillRepro {
  private H2KillRepro() {}

  static String url(Path dir) { return "jdbc:h2:file:" + dir.resolve("vault") + ";WRITE_DELAY=0"; }
  static String hex(byte[] b) { StringBuilder s = new StringBuilder(); for (byte x : b) s.append(String.format("%02x", x)); return s.toString(); }
  public static void main(String[] a) throws Exception {
    if (a[0].equals("child")) {
      Path dir = Path.of(a[1]); int seq = Integer.parseInt(a[2]);
      JdbcConnectionPool pool = JdbcConnectionPool.create(url(dir), "sa", "");
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] token = new byte[78]; new Random(seq).nextBytes(token);
      try (Connection warm = pool.getConnection()) { warm.createStatement().executeQuery("SELECT COUNT(*) FROM ve_credentials").next(); }
      System.out.println("READY"); System.out.flush();
      while (true) {
        try (Connection c = pool.getConnection()) {
          c.setAutoCommit(false);
          try (PreparedStatement s = c.prepareStatement("SELECT status FROM ve_vaults WHERE account_id = 'kill' AND id = 'vault_kill' FOR UPDATE")) { s.executeQuery().next(); }
          String u = "https://svc" + seq + ".example/mcp";
          try (PreparedStatement s = c.prepareStatement("INSERT INTO ve_credentials (id, account_id, vault_id, mcp_server_url, url_key, url_folded, active_url_hash, protocol, type, status, archived_at, created_at, updated_at, token_key_id, token) VALUES (?, 'kill', 'vault_kill', ?, ?, ?, ?, 'sse', 'static_bearer', 'active', NULL, 1, 1, 7, ?)")) {
            s.setString(1, String.format("vcred_%032d", seq)); s.setString(2, u); s.setString(3, u); s.setString(4, u);
            s.setString(5, hex(sha.digest(u.getBytes(StandardCharsets.UTF_8)))); s.setBytes(6, token); s.executeUpdate();
          }
          c.commit();
          c.setAutoCommit(true);
        }
        System.out.println("OK " + seq); System.out.flush();
        seq++;
      }
    }
    int runs = Integer.parseInt(a[0]);
    Path dir = Files.createTempDirectory("repro2");
    dev.vaultengine.jdbc.JdbcVaultStore.h2File(dir).close();
    try (Connection c = DriverManager.getConnection(url(dir), "sa", "")) {
      c.createStatement().execute("INSERT INTO ve_vaults (id, account_id, display_name, name_folded, metadata, status, created_at, updated_at) VALUES ('vault_kill', 'kill', 'k', 'k', '{}', 'active', 0, 0)");
    }
    Set<Integer> returned = new TreeSet<>(); int next = 0, lostRuns = 0; Random r = new Random();
    for (int i = 0; i < runs; i++) {
      Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp", System.getProperty("java.class.path"), H2KillRepro.class.getName(), "child", dir.toString(), Integer.toString(next)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()));
      in.readLine();
      long until = System.nanoTime() + (50 + r.nextInt(400)) * 1_000_000L;
      while (System.nanoTime() < until) { if (in.ready()) { String l = in.readLine(); if (l.startsWith("OK ")) returned.add(Integer.parseInt(l.substring(3))); } else Thread.sleep(1); }
      new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor(); p.waitFor();
      String l; while ((l = in.readLine()) != null) if (l.startsWith("OK ")) returned.add(Integer.parseInt(l.substring(3)));
      next = (returned.isEmpty() ? next : ((TreeSet<Integer>) returned).last()) + 1000;
      List<Integer> missing = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(url(dir), "sa", "")) {
        for (int s : returned) {
          try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM ve_credentials WHERE id = ?")) { q.setString(1, String.format("vcred_%032d", s)); ResultSet rs = q.executeQuery(); rs.next(); if (rs.getInt(1) != 1) missing.add(s); }
        }
      }
      if (!missing.isEmpty()) { lostRuns++; System.out.println("kill " + (i + 1) + ": missing " + missing); returned.removeAll(missing); }
    }
    System.out.println("raw H2: " + runs + " kills, " + returned.size() + " creates kept, kills with a loss: " + lostRuns);
  }
}
