package dev.vaultengine.cli;

import java.io.PrintWriter;

/**
 * One progress line for a long operation, rewritten in place on a terminal, and nothing at all when
 * the output is not a terminal (a script or a pipe gets only the result).
 */
final class TerminalProgress {
  private final PrintWriter terminal;
  private boolean printed;

  private TerminalProgress(PrintWriter terminal) {
    this.terminal = terminal;
  }

  /** Progress on {@code err}, if this process has a terminal. */
  static TerminalProgress on(PrintWriter err) {
    return new TerminalProgress(System.console() != null ? err : null);
  }

  /** Replaces the line with {@code line}. */
  void show(String line) {
    if (terminal != null) {
      terminal.print("\r" + line + "        ");
      terminal.flush();
      printed = true;
    }
  }

  /** Ends the line, if one was shown. */
  void end() {
    if (printed) {
      terminal.println();
    }
  }
}
