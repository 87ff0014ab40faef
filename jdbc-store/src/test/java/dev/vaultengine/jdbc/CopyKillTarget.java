package dev.vaultengine.jdbc;

import dev.vaultengine.KeyEncryptionKey;
import java.nio.file.Path;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The child process of {@link StoreCopyTest}'s kill test: copies a SQLite data directory to a
 * target and prints "DONE phase n" after each committed batch, until it is killed.
 */
public final class CopyKillTarget {
  private CopyKillTarget() {}

  /** Arguments: source data directory, target ({@code dir:PATH} or {@code pg:PREFIX}), batch size. */
  public static void main(String[] args) {
    Path source = Path.of(args[0]);
    String target = args[1];
    int batch = Integer.parseInt(args[2]);
    JdbcVaultStore to;
    if (target.startsWith("dir:")) {
      to = EmbeddedStores.sqlite(Path.of(target.substring(4)));
    } else {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setUrl("jdbc:postgresql://127.0.0.1:5432/test");
      ds.setUser("postgres");
      to = JdbcVaultStore.builder(ds).tablePrefix(target.substring(3)).build();
    }
    try (JdbcVaultStore from = EmbeddedStores.sqlite(source)) {
      StoreCopy.copy(from, to, KeyEncryptionKey.localKeysetFile(source.resolve("kek.json")),
          (phase, done, total) -> System.out.println("DONE " + phase + " " + done), batch);
      System.out.println("FINISHED");
    } finally {
      to.close();
    }
  }
}
