package dev.vaultengine.cli;

import dev.vaultengine.VaultException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code --data-dir} of the embedded default, checked and created before the store opens: a
 * path that cannot be a directory is the user's mistake, so it is an invalid_request_error in
 * plain words, where the store would report it as a failure to create its database file.
 */
final class DataDirectory {
  private DataDirectory() {}

  /**
   * Makes sure {@code dir} is a directory, creating it (and its parents) when missing.
   *
   * @throws VaultException.InvalidRequest about {@code data_dir} when {@code dir} is a file or
   *     cannot be created
   */
  static void prepare(Path dir) {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (Files.exists(dir)) {
      throw refused("names " + dir.toAbsolutePath() + ", which is a file, not a directory.");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw refused("cannot create directory " + dir.toAbsolutePath() + ": " + reason(e) + ".");
    }
  }

  /**
   * The cause of a failed mkdir, in the words of the OS rather than of a Java class.
   * Package-private so that a test can give it what root never meets.
   */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileAlreadyExistsException) {
      // createDirectories met a file where a directory of the path should be
      return "a part of the path is a file, not a directory";
    }
    String osReason = e instanceof FileSystemException f ? f.getReason() : null;
    if (osReason == null) {
      return "the file system refused it";
    }
    // The OS's own text (strerror), such as "File name too long" or "Not a directory".
    return switch (osReason) {
      case "Not a directory" -> "a part of the path is a file, not a directory";
      case "File name too long" -> "name too long";
      default -> osReason.toLowerCase(Locale.ROOT);
    };
  }

  private static VaultException refused(String what) {
    return VaultException.invalidRequest("Option '--data-dir' " + what, "data_dir");
  }
}
