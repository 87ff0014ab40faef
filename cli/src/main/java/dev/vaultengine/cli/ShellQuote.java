package dev.vaultengine.cli;

/**
 * Quoting for a POSIX shell, for the commands the CLI prints for the user to paste: a path with a
 * space or a quote must arrive as one argument.
 */
final class ShellQuote {
  private ShellQuote() {}

  /**
   * {@code word} in single quotes, each {@code '} in it written as {@code '\''}: inside single
   * quotes a POSIX shell expands nothing, so this is the one form that is safe for any text.
   */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
