package dev.vaultengine.internal.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import dev.vaultengine.VaultException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.Set;

/**
 * A KEK in a local Tink JSON keyset file. The file is the one place a key is kept in clear, so it
 * is created owner-only and refused when its group or others can read it.
 */
public final class LocalKeysetFileKek extends LazyAeadKek {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final Path file;

  /** A KEK read from, or created at, {@code file}. */
  public LocalKeysetFileKek(Path file) {
    this.file = requireNonNull(file, "file").toAbsolutePath();
  }

  @Override
  Aead load() {
    try {
      if (!Files.exists(file)) {
        create();
      }
      checkOwnerOnly();
      String json = Files.readString(file, StandardCharsets.UTF_8);
      KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(
          json, TinkSupport.configuration(), InsecureSecretKeyAccess.get());
      return handle.getPrimitive(TinkSupport.configuration(), Aead.class);
    } catch (IOException e) {
      throw VaultException.api("Cannot read the KEK file " + file + ": " + reason(e) + ".", null);
    } catch (GeneralSecurityException e) {
      throw VaultException.api("The KEK file " + file + " does not hold a valid Tink AEAD keyset.",
          null);
    }
  }

  /**
   * Creates the keyset file unless another process (or another object of this one) created it
   * first; then everybody reads the one file that won. The keyset is written and flushed to a
   * temporary file beside the target, with owner-only permissions from the first byte, and only
   * then published under the target name by a hard link, which fails when the name exists: so the
   * name never shows a half-written key, and an existing key is never replaced. (A rename, the
   * usual atomic move, would replace it: a racer that came second would swap in its own key after
   * the first had already wrapped the data keyset with the other one.) Where the file system has no
   * hard links, a move that refuses an existing target serves, with a short window between its
   * check and its rename.
   */
  private void create() throws IOException, GeneralSecurityException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    KeysetHandle handle = TinkSupport.newAes256GcmKeyset();
    String json = TinkJsonProtoKeysetFormat.serializeKeyset(
        handle, TinkSupport.configuration(), InsecureSecretKeyAccess.get());
    boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    Path tmp = posix
        ? Files.createTempFile(dir, ".kek-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
        : Files.createTempFile(dir, ".kek-", ".tmp");
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      try {
        publish(tmp);
        syncDirectory(dir);
      } catch (FileAlreadyExistsException raced) {
        // Another process created it first: its key is the one, and this one was never used.
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Gives {@code tmp}'s content the name {@link #file}, failing if that name exists. */
  private void publish(Path tmp) throws IOException {
    try {
      Files.createLink(file, tmp);
    } catch (FileAlreadyExistsException raced) {
      throw raced;
    } catch (UnsupportedOperationException | IOException noHardLinks) {
      Files.move(tmp, file); // no REPLACE_EXISTING: refuses an existing target
    }
  }

  /** Makes the new directory entry durable (POSIX); elsewhere a no-op. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException notSupported) {
      // not every platform can open or flush a directory: the file itself was flushed
    }
  }

  private void checkOwnerOnly() throws IOException {
    // A directory has to be told apart first: its usual rwx------ is not "accessible to others",
    // and reading it would fail with a reason that does not say what is wrong.
    if (Files.isDirectory(file)) {
      throw VaultException.api("The KEK file " + file + " is a directory; give the path of the "
          + "keyset file (it is created there on first use).", null);
    }
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return; // not a POSIX file system: permissions are the host's business
    }
    Set<PosixFilePermission> perms = view.readAttributes().permissions();
    if (!OWNER_ONLY.containsAll(perms)) {
      // Only group or other bits make the key accessible to someone else; an owner's execute bit
      // does not, but it is still more than a key file needs, so both are refused, each in its
      // own words.
      boolean shared = perms.stream().anyMatch(p -> !p.name().startsWith("OWNER_"));
      throw VaultException.api("The KEK file " + file + (shared
          ? " is accessible to its group or others (" : " has permissions beyond read and write "
              + "for its owner (")
          + PosixFilePermissions.toString(perms) + "); restrict it to its owner (chmod 600).", null);
    }
  }

  @Override
  public String toString() {
    return "LocalKeysetFileKek[" + file + "]";
  }

  /** Why a file operation failed, in the system's words rather than a Java class's name. */
  private static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return "the file cannot be read";
  }
}
