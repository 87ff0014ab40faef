package dev.vaultengine.testkit;

import dev.vaultengine.spi.VaultStore;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How every part of the store suite gets stores of the kind under test: the contract's concerns
 * (one fresh data set per test) and the reliability suite (one per sequence, reopened in the
 * middle of it, as a restarted host would). A store author writes one fixture and every concern
 * uses it, so no part of the suite supplies its store a second way.
 *
 * <p>For a store that keeps its data in the object, {@link #shared(Supplier)} is all it takes:
 *
 * <pre>{@code
 * StoreFixture fixture = StoreFixture.shared(MyStore::new);
 * }</pre>
 *
 * <p>A store that persists returns a {@link Data} whose {@link Data#open()} opens the same
 * database (file, schema, table prefix) each time, so that reopening really goes through the
 * store's own start-up path, and whose {@link Data#dispose()} removes it:
 *
 * <pre>{@code
 * StoreFixture fixture = () -> {
 *   Path dir = Files.createTempDirectory("store-");
 *   return StoreFixture.data(() -> MyFileStore.open(dir), () -> deleteRecursively(dir));
 * };
 * }</pre>
 */
@FunctionalInterface
public interface StoreFixture {

  /** New, empty data of the store under test, opened by {@link Data#open()}. */
  Data fresh();

  /** One data set of the store under test: opened, opened again after a close, then removed. */
  @FunctionalInterface
  interface Data {
    /**
     * A store on this data. The suite closes what it gets (by closing the engine over it); the
     * data must survive that close, because {@link #reopen()} must find it again.
     */
    VaultStore open();

    /**
     * A store on the same data, after the last one was closed: what a restarted host sees. By
     * default the same as {@link #open()}, which is right for stores that open their database
     * again on each call.
     */
    default VaultStore reopen() {
      return open();
    }

    /** Releases the data (closes a shared store, drops tables, ...); called once at the end. */
    default void dispose() {}
  }

  /**
   * A fixture for stores whose data lives in the object: each {@link #fresh()} makes a new store,
   * and every opening hands out that same instance behind a {@link NonClosingStore}, so that an
   * engine's close does not drop the data a reopen must find; {@link Data#dispose()} closes it.
   */
  static StoreFixture shared(Supplier<? extends VaultStore> newStore) {
    Objects.requireNonNull(newStore, "newStore");
    return () -> {
      VaultStore store = newStore.get();
      return data(() -> new NonClosingStore(store), store::close);
    };
  }

  /** A {@link Data} that opens with {@code open} and is released by {@code dispose}. */
  static Data data(Supplier<? extends VaultStore> open, Runnable dispose) {
    Objects.requireNonNull(open, "open");
    Objects.requireNonNull(dispose, "dispose");
    return new Data() {
      @Override
      public VaultStore open() {
        return open.get();
      }

      @Override
      public void dispose() {
        dispose.run();
      }
    };
  }
}
