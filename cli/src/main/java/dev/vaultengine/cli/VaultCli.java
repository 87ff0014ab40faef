package dev.vaultengine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vaultengine.ErrorType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.jdbc.EmbeddedStores;
import dev.vaultengine.jdbc.JdbcVaultStore;
import dev.vaultengine.oauth.NimbusTokenRefresher;
import dev.vaultengine.spi.VaultStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code vault} command: the Vaults API on the embedded default (a SQLite file and a local KEK
 * file under {@code ./vault-data}) or any JDBC URL. Output is the seeds' JSON; errors are the
 * documented envelope on standard error with exit code 2 (invalid_request_error), 3
 * (not_found_error), 4 (conflict_error) or 1. Tokens are read from standard input, never from
 * arguments, so they stay out of shell history and process lists.
 */
@Command(name = "vault", mixinStandardHelpOptions = true, version = "vault-engine 0.1.0",
    description = "Embedded credential vault for agent runtimes.",
    // Inherited: every subcommand takes -h/--help and -V/--version as well.
    scope = CommandLine.ScopeType.INHERIT,
    subcommands = {VaultsCommand.class, CredentialsCommand.class, SessionsCommand.class,
        KeysCommand.class, EventsCommand.class, AuditCommand.class, CopyCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class VaultCli {
  private Path dataDir;

  /**
   * Sets {@code --data-dir}. An empty value is refused here, while parsing: as a path it would
   * mean the current directory, and a typo such as {@code --data-dir "$UNSET"} would quietly put
   * a new database and KEK there.
   */
  @Option(names = "--data-dir", scope = CommandLine.ScopeType.INHERIT, paramLabel = "DIR",
      description = "Directory of the embedded SQLite database and KEK file (default: "
          + "vault-data; for demo, a fresh temporary directory).")
  void dataDir(Path dir) {
    dataDir = nonEmpty(dir, "--data-dir", "data_dir");
  }

  /** The data directory given, or {@code vault-data}. */
  Path dataDir() {
    return dataDir != null ? dataDir : Path.of("vault-data");
  }

  /** The data directory given, or null when none was (the demo then makes a fresh one). */
  Path dataDirGiven() {
    return dataDir;
  }

  @Option(names = "--db-url", scope = CommandLine.ScopeType.INHERIT,
      description = "JDBC URL of a SQLite, H2, PostgreSQL or MariaDB database.")
  String dbUrl;

  @Option(names = "--table-prefix", scope = CommandLine.ScopeType.INHERIT, defaultValue = "ve_",
      description = "Prefix of the table names in a --db-url database (default: ${DEFAULT-VALUE}).")
  String tablePrefix;

  Path kekFile;

  /** Sets {@code --kek-file}; an empty value is refused, as for {@code --data-dir}. */
  @Option(names = "--kek-file", scope = CommandLine.ScopeType.INHERIT, paramLabel = "FILE",
      description = "Local KEK keyset file (default: DATA_DIR/kek.json). Created only together "
          + "with a new database; for an existing one it must exist.")
  void kekFile(Path file) {
    kekFile = nonEmpty(file, "--kek-file", "kek_file");
  }

  /** {@code path}, unless it is empty: then an invalid_request_error about {@code option}. */
  private static Path nonEmpty(Path path, String option, String param) {
    if (path.toString().isEmpty()) {
      throw VaultException.invalidRequest("Option '" + option + "' must not be empty.", param);
    }
    return path;
  }

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Print log records with their causes and stack traces (by default each is "
          + "one line).")
  boolean verbose;

  @Option(names = "--kms-key-uri", scope = CommandLine.ScopeType.INHERIT, description = "KEK held by a KMS, as a Tink key URI.")
  String kmsKeyUri;

  @Option(names = "--account", scope = CommandLine.ScopeType.INHERIT, defaultValue = "default",
      description = "Account every call is scoped to (default: ${DEFAULT-VALUE}).")
  String account;

  @Option(names = "--actor", scope = CommandLine.ScopeType.INHERIT,
      description = "Who acts, as the audit trail records it (default: cli: and the OS user).")
  String actor;

  /** The Vaults API of the chosen account, recording the actor in the audit trail. */
  dev.vaultengine.VaultService service(VaultEngine engine) {
    String who = actor != null ? actor : "cli:" + System.getProperty("user.name", "unknown");
    return engine.forAccount(account, who);
  }

  @Option(names = "--output", scope = CommandLine.ScopeType.INHERIT, defaultValue = "json",
      description = "json or table (default: ${DEFAULT-VALUE}).")
  Output.Format output;

  private BufferedReader stdin;
  private PrintWriter out;
  private PrintWriter err;

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(executeAsProcess(args, System.in, System.out, System.err));
  }

  /**
   * Runs the command as the {@code vault} process: as {@link #execute}, with java.util.logging
   * set up for a terminal ({@link CliLogging}).
   */
  static int executeAsProcess(String[] args, InputStream in, PrintStream out, PrintStream err) {
    VaultCli root = new VaultCli();
    CliLogging.install(err, () -> root.verbose);
    return root.run(args, in, out, err);
  }

  /**
   * Runs the command in this process; returns the exit code. The process's logging is left as
   * the host configured it.
   */
  public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return new VaultCli().run(args, in, out, err);
  }

  private int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    VaultCli root = this;
    root.stdin = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    root.out = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    root.err = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cli = new CommandLine(root)
        .setOut(root.out)
        .setErr(root.err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        // No picocli argument files: "@FILE" is --body's file, and picocli would split a JSON
        // body into arguments and quote them (secrets included) in its error message.
        .setExpandAtFiles(false)
        // "--account demo" names an account, though "demo" is also a subcommand.
        .setAllowSubcommandsAsOptionParameters(true)
        // An option's setter that refuses a value throws a VaultException, which picocli wraps.
        .setParameterExceptionHandler((e, a) -> root.fail(
            e.getCause() instanceof VaultException v ? v
                : VaultException.invalidRequest(e.getMessage(), null)))
        .setExecutionExceptionHandler((e, cmd, parse) -> root.fail(e));
    int code = cli.execute(args);
    root.out.flush();
    root.err.flush();
    return code;
  }

  /** Prints the error envelope and returns the documented exit code. */
  int fail(Exception e) {
    VaultException v;
    if (e instanceof VaultException ve) {
      v = ve;
    } else {
      if (verbose) {
        e.printStackTrace(err);
      }
      v = VaultException.api("Unexpected failure" + (verbose ? "." : "; --verbose prints its "
          + "cause."), null);
    }
    ObjectNode error = Json.MAPPER.createObjectNode();
    error.put("type", v.type().wireName());
    error.put("message", withoutClassNames(v.getMessage()));
    error.put("param", v.param().orElse(null));
    ObjectNode envelope = Json.MAPPER.createObjectNode();
    envelope.put("type", "error");
    envelope.set("error", error);
    err.println(Json.write(envelope));
    return exitCode(v.type());
  }

  /** A Java exception's name in parentheses, as the library appends to some api_errors. */
  private static final java.util.regex.Pattern CLASS_NAME =
      java.util.regex.Pattern.compile(" ?\\([A-Z][A-Za-z0-9]*(Exception|Error)\\)");

  /**
   * {@code message} without the exception names the library adds for a host's log reader: a
   * terminal user can do nothing with "(StatementException)"; {@code --verbose} logs the cause.
   */
  static String withoutClassNames(String message) {
    return message == null ? null : CLASS_NAME.matcher(message).replaceAll("");
  }

  static int exitCode(ErrorType type) {
    return switch (type) {
      case INVALID_REQUEST -> 2;
      case NOT_FOUND -> 3;
      case CONFLICT -> 4;
      case API -> 1;
    };
  }

  /**
   * Runs {@code work} on the engine this invocation was pointed at, then closes it: the one place
   * every subcommand opens and closes its engine.
   *
   * @return 0, the exit code of success (failures are thrown and reported by {@link #fail})
   */
  int withEngine(java.util.function.Consumer<VaultEngine> work) {
    try (VaultEngine engine = openEngine()) {
      work.accept(engine);
    }
    return 0;
  }

  /** Opens the engine this invocation was pointed at. */
  VaultEngine openEngine() {
    return openEngine(dataDir(), false);
  }

  private static volatile boolean kmsClientsLoaded;

  /**
   * Registers every Tink {@code KmsClient} found on the classpath (META-INF/services), so that a KMS
   * integration jar next to the CLI serves {@code --kms-key-uri}; Tink's own auto-loading is
   * deprecated.
   */
  static synchronized void loadKmsClients() {
    if (!kmsClientsLoaded) {
      for (com.google.crypto.tink.KmsClient client
          : java.util.ServiceLoader.load(com.google.crypto.tink.KmsClient.class)) {
        com.google.crypto.tink.KmsClients.add(client);
      }
      kmsClientsLoaded = true;
    }
  }

  VaultEngine openEngine(Path dir, boolean allowEmptyVaults) {
    if (kmsKeyUri != null) {
      loadKmsClients();
    }
    if (dbUrl == null) {
      DataDirectory.prepare(dir);
    }
    VaultStore store = dbUrl == null ? embeddedStore(dir)
        : jdbcStore(Databases.dataSource(dbUrl), tablePrefix, "table_prefix",
            dev.vaultengine.jdbc.SchemaMode.MIGRATE);
    Path kekPath = kekFile != null ? kekFile : dir.resolve("kek.json");
    KeyEncryptionKey kek = kmsKeyUri != null ? KeyEncryptionKey.kmsKeyUri(kmsKeyUri)
        : KeyEncryptionKey.localKeysetFile(kekPath);
    try {
      // The local KEK file is created on first use; that is right only for a new database. A
      // database that already holds a wrapped keyset needs the KEK that wrapped it: a new one
      // could never open it, and would be left behind (with its directory) as a decoy.
      if (kmsKeyUri == null && !java.nio.file.Files.exists(kekPath)
          && store.loadKeyset().isPresent()) {
        throw VaultException.invalidRequest("The KEK file " + kekPath.toAbsolutePath()
            + " does not exist; give the database's KEK with --kek-file or --kms-key-uri. "
            + "Nothing was changed.", "kek_file");
      }
      // Refreshes mcp_oauth tokens as a host's engine would: resolve and validate talk to the
      // credential's token endpoint when its token is due.
      return VaultEngine.builder().store(store).keyEncryptionKey(kek)
          .tokenRefresher(NimbusTokenRefresher.builder().build())
          .allowEmptyVaults(allowEmptyVaults).build();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * The SQLite store of a data directory. A directory that holds only an H2 database (the
   * embedded default before SQLite) is left untouched: the user is told the one command that
   * copies it to SQLite.
   */
  static VaultStore embeddedStore(Path dir) {
    if (!java.nio.file.Files.exists(dir.resolve("vault.db"))
        && java.nio.file.Files.exists(dir.resolve("vault.mv.db"))) {
      Path abs = dir.toAbsolutePath().normalize();
      throw VaultException.invalidRequest("The data directory " + abs + " holds an H2 database "
          + "(vault.mv.db), the embedded default of earlier versions; the default is now SQLite. "
          + "Nothing was changed. To move it, run: vault copy --from "
          + ShellQuote.quote(abs.toString()) + " --to " + ShellQuote.quote(abs.toString()),
          "data_dir");
    }
    return EmbeddedStores.sqlite(dir);
  }

  /**
   * A store over {@code dataSource} with the table prefix {@code prefix}; a prefix the store
   * refuses is an {@code invalid_request_error} about {@code param}.
   */
  static JdbcVaultStore jdbcStore(DataSource dataSource, String prefix, String param,
      dev.vaultengine.jdbc.SchemaMode mode) {
    JdbcVaultStore.Builder builder;
    try {
      builder = JdbcVaultStore.builder(dataSource).tablePrefix(prefix).schemaMode(mode);
    } catch (IllegalArgumentException e) {
      throw VaultException.invalidRequest("Field '" + param + "' must be up to 21 lower-case "
          + "letters, digits and underscores, starting with a letter (or empty).", param);
    }
    return builder.build();
  }

  /** Prints a result in the chosen format. */
  void print(JsonNode node) {
    out.println(output == Output.Format.TABLE ? Output.table(node) : Json.write(node));
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /**
   * Refuses {@code --output table} for {@code command}, which prints a stream of JSON lines: a
   * stream has no end to size the columns by, and a table silently replaced by JSON would break
   * whatever reads it.
   *
   * @throws VaultException.InvalidRequest about {@code output} when a table was asked for
   */
  void requireJsonLines(String command) {
    if (output == Output.Format.TABLE) {
      throw VaultException.invalidRequest("Option '--output table' is not available for "
          + command + ", which prints one JSON object per line.", "output");
    }
  }

  /** Prints one JSON object on a line of its own (a stream of records), flushed at once. */
  synchronized void printLine(JsonNode node) {
    out.println(Json.writeLine(node));
    out.flush();
  }

  /**
   * Reads one line from standard input, such as a secret to look for.
   *
   * @throws VaultException.InvalidRequest about {@code param} when no line is left
   */
  String readLine(String param) {
    try {
      String line = stdin.readLine();
      if (line == null || line.isEmpty()) {
        throw VaultException.invalidRequest("Field '" + param + "' is required: give it on "
            + "standard input.", param);
      }
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the next token from standard input (one line per token).
   *
   * @throws VaultException.InvalidRequest about {@code param} when no line is left
   */
  String readToken(String param) {
    try {
      String line = stdin.readLine();
      if (line == null || line.isEmpty()) {
        throw VaultException.invalidRequest(
            "Field 'access_token' is required for static_bearer type.", param);
      }
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The request body named by {@code --body}: {@code -} reads standard input to its end,
   * {@code @FILE} reads a UTF-8 file. Read into a character array the caller wipes, never into a
   * {@code String}: the body holds secrets.
   */
  char[] readBody(String source) {
    if (source.equals("-")) {
      return readAll(stdin);
    }
    if (source.startsWith("@") && source.length() > 1) {
      Path file = Path.of(source.substring(1));
      try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(file,
          StandardCharsets.UTF_8)) {
        return readAll(reader);
      } catch (UncheckedIOException e) {
        if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
          throw VaultException.invalidRequest("Option '--body' names a file that is not UTF-8 "
              + "text: " + file + ".", "body");
        }
        throw VaultException.invalidRequest("Option '--body' names a file that could not be read:"
            + " " + file + ".", "body");
      } catch (IOException e) {
        throw VaultException.invalidRequest("Option '--body' names a file that could not be read:"
            + " " + file + ".", "body");
      }
    }
    throw VaultException.invalidRequest("Option '--body' must be - (standard input) or @FILE.",
        "body");
  }

  /** Everything {@code reader} holds; every intermediate buffer is wiped. */
  private static char[] readAll(java.io.Reader reader) {
    char[] buf = new char[4096];
    int n = 0;
    try {
      int r;
      while ((r = reader.read(buf, n, buf.length - n)) >= 0) {
        n += r;
        if (n == buf.length) {
          char[] bigger = java.util.Arrays.copyOf(buf, buf.length * 2);
          java.util.Arrays.fill(buf, '\0');
          buf = bigger;
        }
      }
      return java.util.Arrays.copyOf(buf, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      java.util.Arrays.fill(buf, '\0');
    }
  }

  /** Parses an RFC 3339 timestamp option. */
  static Instant instant(String value, String param) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw VaultException.invalidRequest(
          "Field '" + param + "' must be an RFC 3339 timestamp.", param);
    }
  }

  /** JDBC URL to DataSource, through each driver's own DataSource class. */
  static final class Databases {
    private Databases() {}

    static DataSource dataSource(String url) {
      return dataSource(url, "db_url");
    }

    /**
     * A SQLite URL with the data directory's settings (WAL, a flush at every commit, foreign keys,
     * 10 s for another process's write lock), which settings in the URL itself override; a file
     * named by a plain path that does not exist yet is created owner-only first (SQLite gives its
     * {@code -wal} and {@code -shm} files the database file's permissions). Without these the
     * driver's defaults applied: a rollback journal, no wait for a lock, and a world-readable file.
     */
    private static DataSource sqlite(String url, String param) {
      org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
      config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.FULL);
      config.enforceForeignKeys(true);
      config.setBusyTimeout((int) dev.vaultengine.jdbc.EmbeddedStores.SQLITE_BUSY_TIMEOUT
          .toMillis());
      String rest = url.substring("jdbc:sqlite:".length());
      if (!rest.isEmpty() && !rest.startsWith(":") && !rest.startsWith("file:")
          && rest.indexOf('?') < 0) {
        Path file = Path.of(rest);
        if (!java.nio.file.Files.exists(file)) {
          try {
            java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString(
                    "rw-------")));
          } catch (java.nio.file.FileAlreadyExistsException e) {
            // another process created it at the same moment: it opens the same file
          } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system: the driver creates the file
          } catch (java.io.IOException e) {
            throw VaultException.invalidRequest("Field '" + param + "' names the SQLite file "
                + file + ", which cannot be created: " + DataDirectory.reason(e) + ".", param);
          }
        }
      }
      org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource(config);
      ds.setUrl(url);
      return ds;
    }

    /** As {@link #dataSource(String)}, reporting a bad URL as about {@code param}. */
    static DataSource dataSource(String url, String param) {
      if (url.startsWith("jdbc:sqlite:")) {
        return sqlite(url, param);
      }
      if (url.startsWith("jdbc:h2:")) {
        org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
        ds.setURL(url);
        return ds;
      }
      if (url.startsWith("jdbc:postgresql:")) {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(url);
        return ds;
      }
      if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
        try {
          return new org.mariadb.jdbc.MariaDbDataSource(url.replace("jdbc:mysql:", "jdbc:mariadb:"));
        } catch (java.sql.SQLException e) {
          throw VaultException.invalidRequest("Field '" + param + "' is not a valid MariaDB URL.",
              param);
        }
      }
      throw VaultException.invalidRequest("Field '" + param + "' must be a jdbc:sqlite:, jdbc:h2:, "
          + "jdbc:postgresql: or jdbc:mariadb: URL.", param);
    }
  }
}
