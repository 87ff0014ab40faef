package dev.vaultengine.testkit;

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
 * update and per-field encryption.
 */
public abstract class VaultStoreContract extends EventsAuditContract {}
