package dev.vaultengine.jdbc.internal;

import dev.vaultengine.VaultException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * The embedded databases' files, created owner-only before the database opens them: SQLite and
 * H2 create a missing file with the process's umask (world-readable by default), and the file
 * holds the ciphertexts, the wrapped keyset, URLs and the audit trail. A file that exists is
 * left as it is (its owner chose its mode). Where a path cannot be used, the message says why in
 * words, as an {@code invalid_request_error} about the directory: the caller named a path the
 * store cannot take, which is not a failure of the store.
 */
public final class OwnerOnlyFile {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFile() {}

  /**
   * Creates {@code file} (and its missing parent directories) owner-only where the file system
   * has POSIX permissions, unless it exists.
   *
   * @param database what the file is, for the message ("SQLite", "H2")
   * @throws VaultException.InvalidRequest when the path cannot be used
   */
  public static void create(Path file, String database) {
    try {
      Path parent = file.getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        Files.createDirectories(parent);
      }
      if (!Files.exists(file)) {
        try {
          if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
          } else {
            Files.createFile(file);
          }
        } catch (FileAlreadyExistsException e) {
          // another process created it first: it created it owner-only too
        }
      }
    } catch (IOException | RuntimeException e) {
      throw unusable(file, database, e);
    }
  }

  private static VaultException unusable(Path file, String database, Exception e) {
    Path parent = file.getParent();
    String why;
    if (e instanceof AccessDeniedException) {
      why = "permission denied";
    } else if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException
        || fileInTheWay(parent)) {
      why = "a file, not a directory, is in the way";
    } else if (e instanceof NoSuchFileException) {
      why = "a directory on the path does not exist and cannot be created";
    } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
      why = fs.getReason().toLowerCase(Locale.ROOT);
    } else {
      why = "the path cannot be used";
    }
    return VaultException.invalidRequest("Cannot create the " + database + " database " + file
        + ": " + why + ".", "directory");
  }

  /** Whether the nearest existing ancestor of {@code dir} (or itself) is not a directory. */
  private static boolean fileInTheWay(Path dir) {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        return !Files.isDirectory(p);
      }
    }
    return false;
  }
}
