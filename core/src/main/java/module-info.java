/**
 * vault-engine core: the Vaults API ({@code dev.vaultengine}) and the store SPI
 * ({@code dev.vaultengine.spi}). The engine, its rules and the Tink envelope encryption live in
 * {@code dev.vaultengine.internal}, which no other module can reach.
 */
module dev.vaultengine.core {
  requires com.google.crypto.tink;
  /** ResolvedCredential.applyTo takes java.net.http's request builder. */
  requires transitive java.net.http;

  exports dev.vaultengine;
  exports dev.vaultengine.spi;
  // The one bounded cache, shared with the JDBC store's URL-hash cache; no one else sees it.
  exports dev.vaultengine.internal.cache to dev.vaultengine.jdbc;
  // A copy compares two stores' data keysets (is the target's an earlier state of the source's?)
  // without a public API for unwrapped keys.
  exports dev.vaultengine.internal.crypto to dev.vaultengine.jdbc;
}
