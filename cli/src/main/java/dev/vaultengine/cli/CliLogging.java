package dev.vaultengine.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * java.util.logging for the {@code vault} process (where the library's {@code System.Logger}
 * records go by default). The library logs a failed store operation with its exception, which
 * suits a host's log but, on a terminal, put a driver's stack trace before the CLI's one-line
 * error. Here each record is one line on standard error, without its throwable; with
 * {@code --verbose}, records print in full. Only the process's logging is set: a host that runs
 * {@link VaultCli#execute} keeps its own.
 */
final class CliLogging {
  private CliLogging() {}

  /**
   * Replaces the root logger's handlers with one that writes to {@code err}; {@code verbose} is
   * asked per record, as the option is parsed after this is installed.
   */
  static void install(PrintStream err, BooleanSupplier verbose) {
    Logger rootLogger = LogManager.getLogManager().getLogger("");
    for (Handler h : rootLogger.getHandlers()) {
      rootLogger.removeHandler(h);
    }
    rootLogger.addHandler(new LineHandler(err, verbose));
  }

  /** One line per record; the full record, stack trace included, when verbose. */
  static final class LineHandler extends Handler {
    private final PrintStream err;
    private final BooleanSupplier verbose;
    private final SimpleFormatter full = new SimpleFormatter();

    LineHandler(PrintStream err, BooleanSupplier verbose) {
      this.err = err;
      this.verbose = verbose;
      // The loggers' levels decide what is logged (INFO and up by default), as before.
      setLevel(java.util.logging.Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      String text;
      if (verbose.getAsBoolean()) {
        text = full.format(record);
      } else {
        String message = full.formatMessage(record).replaceAll("\\s*\\R\\s*", " ");
        text = "vault: " + record.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": "
            + message + (record.getThrown() != null ? " (--verbose shows the cause)" : "")
            + System.lineSeparator();
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      synchronized (err) {
        err.write(bytes, 0, bytes.length);
        err.flush();
      }
    }

    @Override
    public void flush() {
      err.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
