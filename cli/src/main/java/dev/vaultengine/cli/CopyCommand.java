package dev.vaultengine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.VaultException;
import dev.vaultengine.jdbc.CopyReport;
import dev.vaultengine.jdbc.EmbeddedStores;
import dev.vaultengine.jdbc.JdbcVaultStore;
import dev.vaultengine.jdbc.SchemaMode;
import dev.vaultengine.jdbc.StoreCopy;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vault copy --from X --to Y}: copies every account's vaults and credentials and the
 * wrapped data keyset from one store to another ({@link StoreCopy}), then verifies that the counts
 * agree and that every token resolves on the target to its value on the source. A directory means
 * its SQLite {@code vault.db} (as a source, its H2 {@code vault.mv.db} when it has no
 * {@code vault.db}); anything starting with {@code jdbc:} is a JDBC URL. Safe to run again: a
 * finished copy copies nothing, an interrupted one resumes.
 */
@Command(name = "copy", description = "Copy every vault, credential and the data keyset to "
    + "another store (a data directory or a JDBC URL), then verify. Safe to run again.")
final class CopyCommand implements Callable<Integer> {
  @ParentCommand
  VaultCli root;

  @Option(names = "--from", required = true,
      description = "Source: a data directory or a JDBC URL.")
  String from;

  @Option(names = "--to", required = true,
      description = "Target: a data directory (its SQLite vault.db) or a JDBC URL.")
  String to;

  @Option(names = "--from-table-prefix",
      description = "Table prefix of a JDBC URL source (default: --table-prefix).")
  String fromPrefix;

  @Option(names = "--to-table-prefix",
      description = "Table prefix of a JDBC URL target (default: --table-prefix).")
  String toPrefix;

  /** The connection pools of JDBC URL ends, closed after the stores. */
  private final List<HikariDataSource> pools = new ArrayList<>();

  /** A side of the copy: a data directory (with the file found there) or a JDBC URL. */
  private record End(Path dir, String url, boolean h2) {}

  @Override
  public Integer call() {
    // An empty path would be the working directory: a copy would write a database and a KEK
    // there, or read from there, without the user having named it.
    if (from.isBlank()) {
      throw VaultException.invalidRequest("Option '--from' must not be empty.", "from");
    }
    if (to.isBlank()) {
      throw VaultException.invalidRequest("Option '--to' must not be empty.", "to");
    }
    End source = source(from, to);
    End target = target(to);
    if (source.dir() != null && target.dir() != null && !source.h2()
        && sameFile(source.dir(), target.dir())) {
      throw VaultException.invalidRequest(
          "The source and the target of a copy must be different stores.", "to");
    }
    if (root.kmsKeyUri != null) {
      VaultCli.loadKmsClients();
    }
    // The source's KEK: a KMS key, --kek-file, or kek.json of the source directory (of
    // --data-dir for a JDBC URL source). Never created here: a missing file is an error.
    Path kekFile = root.kmsKeyUri != null ? null : root.kekFile != null ? root.kekFile
        : (source.dir() != null ? source.dir() : root.dataDir()).resolve("kek.json");
    Path targetKek = target.dir() == null ? null : target.dir().resolve("kek.json");
    if (kekFile != null && targetKek != null && Files.exists(targetKek) && Files.exists(kekFile)
        && !sameContent(kekFile, targetKek)) {
      throw VaultException.invalidRequest("The target directory " + target.dir()
          + " has a kek.json other than the source's KEK, which could not open the copied "
          + "vault. Nothing was changed: move that file away or copy to another directory.",
          "to");
    }
    try (JdbcVaultStore fromStore = open(source, true)) {
      return copy(fromStore, target, kekFile, targetKek);
    } finally {
      pools.forEach(HikariDataSource::close);
    }
  }

  /** Copies from the open source, then copies the KEK file and prints the summary. */
  private int copy(JdbcVaultStore fromStore, End target, Path kekFile, Path targetKek) {
    KeyEncryptionKey kek = null;
    if (root.kmsKeyUri != null) {
      kek = KeyEncryptionKey.kmsKeyUri(root.kmsKeyUri);
    } else if (Files.exists(kekFile)) {
      kek = KeyEncryptionKey.localKeysetFile(kekFile);
    } else if (fromStore.loadKeyset().isPresent()) {
      throw VaultException.invalidRequest("The KEK file " + kekFile.toAbsolutePath()
          + " does not exist; give the source's KEK with --kek-file or --kms-key-uri. Nothing "
          + "was changed.", "kek_file");
    }
    CopyReport report;
    try (JdbcVaultStore toStore = open(target, false)) {
      Progress progress = new Progress(TerminalProgress.on(root.err()));
      report = kek == null ? StoreCopy.copy(fromStore, toStore)
          : StoreCopy.copy(fromStore, toStore, kek, progress);
      progress.end();
    }
    boolean kekCopied = false;
    if (kekFile != null && targetKek != null && Files.exists(kekFile)
        && !Files.exists(targetKek)) {
      copyOwnerOnly(kekFile, targetKek);
      kekCopied = true;
    }
    root.print(summary(report, fromStore.databaseKind(), target, kekFile, targetKek,
        kekCopied));
    return 0;
  }

  private ObjectNode summary(CopyReport report, String fromKind, End target, Path kekFile,
      Path targetKek, boolean kekCopied) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("type", "copy");
    n.put("from", fromKind.toLowerCase(java.util.Locale.ROOT));
    n.put("to", target.dir() != null ? "sqlite" : kind(target.url()));
    n.put("nothing_copied", report.nothingCopied() && !kekCopied);
    n.put("keyset_copied", report.keysetCopied());
    counts(n.putObject("vaults"), report.vaults());
    counts(n.putObject("credentials"), report.credentials());
    // The log too: a rerun that only brings audit entries over copies something, and says what.
    counts(n.putObject("events"), report.events());
    counts(n.putObject("audit_entries"), report.auditEntries());
    ObjectNode verified = n.putObject("verified");
    verified.put("accounts", report.accounts());
    verified.put("tokens", Math.max(0, report.tokensVerified()));
    // Where the target's KEK is: the copied kek.json of a target directory, else the source's.
    if (kekFile == null) {
      n.putNull("kek_file");
    } else {
      n.put("kek_file", (targetKek != null ? targetKek : kekFile).toAbsolutePath().toString());
    }
    n.put("kek_file_copied", kekCopied);
    return n;
  }

  private static void counts(ObjectNode n, CopyReport.Counts c) {
    n.put("copied", c.copied());
    n.put("updated", c.updated());
    n.put("already_present", c.alreadyPresent());
    n.put("total", c.total());
  }

  private static String kind(String url) {
    String rest = url.substring("jdbc:".length());
    int colon = rest.indexOf(':');
    return colon < 0 ? rest : rest.substring(0, colon);
  }

  /**
   * The source: a JDBC URL, opened exactly as {@code --db-url} opens it (an H2 file made by
   * {@code --db-url} has an empty user name, which {@link EmbeddedStores#h2File} would not give);
   * or a directory: its H2 {@code vault.mv.db} when it has no {@code vault.db} or when the target
   * is the same directory (the H2 notice's command, which moves a directory to SQLite in place and
   * may be run again), else its {@code vault.db}.
   */
  private End source(String value, String targetValue) {
    if (value.startsWith("jdbc:")) {
      return new End(null, value, false);
    }
    Path dir = path(value, "from");
    boolean h2 = Files.exists(dir.resolve("vault.mv.db"));
    boolean sqlite = Files.exists(dir.resolve("vault.db"));
    if (h2 && (!sqlite || (!targetValue.startsWith("jdbc:")
        && sameFile(dir, path(targetValue, "to"))))) {
      // An earlier version's data directory was created as user sa; one made with --db-url
      // jdbc:h2:file:DIR/vault has an empty user name. Either is this directory's database.
      String emptyUser = "jdbc:h2:file:" + dir.resolve("vault");
      return h2Refuses("sa", dir) && !h2Refuses("", dir) ? new End(dir, emptyUser, true)
          : new End(dir, null, true);
    }
    if (sqlite) {
      return new End(dir, null, false);
    }
    throw VaultException.invalidRequest("Field 'from': " + dir.toAbsolutePath()
        + " holds no vault database (vault.db or vault.mv.db).", "from");
  }

  private End target(String value) {
    return value.startsWith("jdbc:") ? new End(null, value, false)
        : new End(path(value, "to"), null, false);
  }

  /**
   * Whether H2 refuses {@code user} (empty password) for the database {@code vault.mv.db} in
   * {@code dir}; a path holding {@code ;} is refused as a path by the store itself.
   */
  private static boolean h2Refuses(String user, Path dir) {
    return dir.toString().indexOf(';') < 0
        && h2Refuses("jdbc:h2:file:" + dir.resolve("vault") + ";IFEXISTS=TRUE", user);
  }

  /**
   * Whether H2 refuses {@code user} (empty password) at {@code url}; a login that fails for any
   * other reason is not a refusal (the store will report it). Without a trace file of the
   * refusal, which H2 would otherwise leave beside the database.
   */
  private static boolean h2Refuses(String url, String user) {
    String probe = url.toUpperCase(java.util.Locale.ROOT).contains("TRACE_LEVEL_FILE") ? url
        : url + ";TRACE_LEVEL_FILE=0";
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(probe, user, "")) {
      return false;
    } catch (java.sql.SQLException e) {
      return e.getErrorCode() == H2_WRONG_USER_OR_PASSWORD;
    }
  }

  private JdbcVaultStore open(End end, boolean source) {
    if (end.dir() != null && end.url() == null) {
      return end.h2() ? EmbeddedStores.h2File(end.dir()) : EmbeddedStores.sqlite(end.dir());
    }
    String param = source ? "from" : "to";
    String prefix = source ? fromPrefix : toPrefix;
    // A pool: the verification resolves every token, a query each, and a connection per query
    // would cost more than the query. The first connection is made by the store, which reports
    // a failure as such.
    javax.sql.DataSource dataSource = VaultCli.Databases.dataSource(end.url(), param);
    if (end.url().startsWith("jdbc:h2:")) {
      checkH2Login(end.url(), param);
    }
    HikariConfig config = new HikariConfig();
    config.setDataSource(dataSource);
    config.setPoolName("vault-copy-" + param);
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    config.setInitializationFailTimeout(-1);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    // A source is only read: its schema must already be this build's, and nothing is created.
    return VaultCli.jdbcStore(pool,
        prefix != null ? prefix : root.tablePrefix, param + "_table_prefix",
        source ? SchemaMode.VALIDATE : SchemaMode.MIGRATE);
  }

  /** H2's error code for a user name or password the database refuses. */
  private static final int H2_WRONG_USER_OR_PASSWORD = 28000;

  /**
   * Refuses, with what to do, an H2 URL whose file was created with another user name: the
   * embedded H2 data directories of earlier versions were created as {@code sa}, while
   * {@code --db-url} (and so this URL) connects with an empty one. The store itself would only
   * say it cannot read the metadata. Any other failure is left to the store to report.
   */
  private static void checkH2Login(String url, String param) {
    if (h2Refuses(url, "")) { // as --db-url connects: empty user and password
      throw VaultException.invalidRequest("Field '" + param + "': H2 refused the user name "
          + "of this URL (the one --db-url uses, empty): the database was created with another "
          + "one. An H2 data directory of an earlier version (vault.mv.db, user sa) is copied "
          + "by giving the directory itself, e.g. vault copy --from DIR --to DIR. Nothing was "
          + "changed.", param);
    }
  }

  private static Path path(String value, String param) {
    try {
      return Path.of(value).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw VaultException.invalidRequest("Field '" + param + "' is not a valid path.", param);
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return a.equals(b);
    }
  }

  private static boolean sameContent(Path a, Path b) {
    try {
      return Files.mismatch(a, b) == -1;
    } catch (IOException e) {
      throw VaultException.api("Cannot read the KEK files " + a + " and " + b + " ("
          + e.getClass().getSimpleName() + ").", null);
    }
  }

  /**
   * Copies the KEK file so the target directory opens on its own: written owner-only from the
   * first byte beside the target, then renamed in place (a file that appeared meanwhile is kept).
   */
  private static void copyOwnerOnly(Path kekFile, Path target) {
    Path dir = target.getParent();
    try {
      byte[] key = Files.readAllBytes(kekFile);
      boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
      Path tmp = posix ? Files.createTempFile(dir, ".kek-", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile(dir, ".kek-", ".tmp");
      try {
        Files.write(tmp, key);
        java.util.Arrays.fill(key, (byte) 0);
        try {
          Files.move(tmp, target); // a rename in one directory; refuses to replace a file
        } catch (FileAlreadyExistsException raced) {
          // another process put a KEK file there first: keep it
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw VaultException.api("The data was copied, but the KEK file could not be copied to "
          + target + " (" + e.getClass().getSimpleName() + "); copy " + kekFile
          + " there yourself, owner-only.", null);
    }
  }

  /** Progress on a terminal only: one line, rewritten after each batch. */
  private static final class Progress implements StoreCopy.Progress {
    private final TerminalProgress line;

    Progress(TerminalProgress line) {
      this.line = line;
    }

    @Override
    public void update(String phase, long done, long total) {
      String what = phase.equals("tokens") ? "verifying tokens" : "copying " + phase;
      line.show(what + ": " + done + " of " + total);
    }

    void end() {
      line.end();
    }
  }
}
