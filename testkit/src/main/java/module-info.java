/**
 * The test kit: the store contract suite for store authors, and for hosts a JUnit extension with a
 * fresh in-memory vault per test, a settable clock, request generators and assertions. Open, so
 * that JUnit can run the contract's test methods reflectively.
 */
open module dev.vaultengine.testkit {
  requires transitive dev.vaultengine.core;
  requires transitive dev.vaultengine.memory;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires com.google.crypto.tink;
  requires java.logging;

  exports dev.vaultengine.testkit;

  provides com.google.crypto.tink.KmsClient with dev.vaultengine.testkit.TestKmsClient;
}
