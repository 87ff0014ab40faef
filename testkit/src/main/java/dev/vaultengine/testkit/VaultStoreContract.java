package dev.vaultengine.testkit;

import dev.vaultengine.spi.VaultStore;
import org.junit.jupiter.api.Nested;

/**
 * The contract every {@link dev.vaultengine.spi.VaultStore} must pass. Extend it in a test class,
 * return a new empty store from {@link #newStore()}, and run it with JUnit Jupiter:
 *
 * <pre>{@code
 * class MyStoreContractTest extends VaultStoreContract {
 *   @Override
 *   protected VaultStore newStore() {
 *     return new MyStore(...);
 *   }
 * }
 * }</pre>
 *
 * <p>It drives the store through the engine, so it checks what users see: the lifecycle, the
 * documented errors, bad input that must change nothing, account isolation, atomic rotation, the
 * one-active-credential-per-URL rule under concurrent writers, keyset pagination over 1,000
 * vaults with every filter, and every credential kind: its field rules, identity rules, in-place
 * update and per-field encryption; events and the audit trail; then the reliability suite (model-based sequences, a stress run
 * of eight threads and random bad input).
 *
 * <p>A store that keeps its data on disk or on a server overrides {@link #fixture()} instead, so
 * that the reliability suite reopens it for real (see {@link StoreFixture}); {@link #newStore()}
 * is then not needed.
 *
 * <p>Each concern is a nested class with a tag of its own, so one runs alone by its tag, for
 * example for the in-memory store (all of it, then only the listing concern):
 *
 * <pre>
 * mvn -pl testkit -am test -Dtest=InMemoryStoreContractTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * mvn -pl testkit -am test -Dtest=InMemoryStoreContractTest -Dgroups=listing \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>The concerns and their tags: {@code Lifecycle} ({@code lifecycle}), {@code BadInput}
 * ({@code bad-input}), {@code Listing} ({@code listing}), {@code Encryption} ({@code encryption}),
 * {@code Session} ({@code session}), {@code CredentialKinds} ({@code credential-kinds}),
 * {@code EventsAudit} ({@code events-audit}) and {@code Reliability} ({@code reliability}). Surefire cannot select an inherited nested class by
 * name ({@code -Dtest='MyStoreContractTest$Listing'} runs nothing: its class is
 * {@code VaultStoreContract$Listing}), hence the tags. Each concern class also runs alone in a
 * class of its own that extends it and returns the store's fixture.
 */
public abstract class VaultStoreContract {
  /** For a store's contract test class, which extends this class. */
  protected VaultStoreContract() {}

  /**
   * A new, empty store; called once per test by the default {@link #fixture()}. Override this or
   * {@link #fixture()}.
   */
  protected VaultStore newStore() {
    throw new UnsupportedOperationException(getClass().getName()
        + " must override newStore() or fixture()");
  }

  /**
   * The stores under test, given to every concern. By default {@link StoreFixture#shared} over
   * {@link #newStore()}: reopening hands out the same instance, which suits stores that keep their
   * data in the object; a store that persists overrides this to reopen its data for real.
   */
  protected StoreFixture fixture() {
    return StoreFixture.shared(this::newStore);
  }

  /** A short name for the figures the reliability suite prints, such as {@code memory}. */
  protected String storeName() {
    return getClass().getSimpleName();
  }

  /** {@link LifecycleContract} on this store. */
  @Nested
  class Lifecycle extends LifecycleContract {
    @Override
    protected StoreFixture fixture() {
      return VaultStoreContract.this.fixture();
    }
  }

  /** {@link BadInputContract} on this store. */
  @Nested
  class BadInput extends BadInputContract {
    @Override
    protected StoreFixture fixture() {
      return VaultStoreContract.this.fixture();
    }
  }

  /** {@link ListingContract} on this store. */
  @Nested
  class Listing extends ListingContract {
    @Override
    protected StoreFixture fixture() {
      return VaultStoreContract.this.fixture();
    }
  }

  /** {@link EncryptionContract} on this store. */
  @Nested
  class Encryption extends EncryptionContract {
    @Override
    protected StoreFixture fixture() {
      return VaultStoreContract.this.fixture();
    }
  }

  /** {@link SessionContract} on this store. */
  @Nested
  class Session extends SessionContract {
    @Override
    protected StoreFixture fixture() {
      return VaultStoreContract.this.fixture();
    }
  }

  /** {@link CredentialKindsContract} on this store. */
  @Nested
  class CredentialKinds extends CredentialKindsContract {
    @Override
    protected StoreFixture fixture() {
      return VaultStoreContract.this.fixture();
    }
  }

  /** {@link EventsAuditContract} on this store. */
  @Nested
  class EventsAudit extends EventsAuditContract {
    @Override
    protected StoreFixture fixture() {
      return VaultStoreContract.this.fixture();
    }
  }

  /** {@link ReliabilityContract} on this store, with the same fixture as every other concern. */
  @Nested
  class Reliability extends ReliabilityContract {
    @Override
    protected StoreFixture fixture() {
      return VaultStoreContract.this.fixture();
    }

    @Override
    protected String storeName() {
      return VaultStoreContract.this.storeName();
    }
  }
}
