package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.ErrorType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.memory.InMemoryVaultStore;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A host's own {@link KeyEncryptionKey} (a KMS SDK behind it) fails the way such code fails: with
 * an unchecked exception, or by returning null. The engine answers with its documented
 * {@code api_error} and changes nothing; the host's exception never reaches the caller raw.
 */
class HostKekFailureTest {

  /** A KEK whose every call ends as {@code failure} says. */
  private static KeyEncryptionKey failing(Supplier<byte[]> failure) {
    return new KeyEncryptionKey() {
      @Override
      public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        return failure.get();
      }

      @Override
      public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
        return failure.get();
      }
    };
  }

  /** Runs {@code test} with a KEK that throws an unchecked exception and one that returns null. */
  private static Stream<DynamicTest> each(Consumer<KeyEncryptionKey> test) {
    Map<String, KeyEncryptionKey> keks = Map.of(
        "throws", failing(() -> {
          throw new IllegalStateException("the KMS SDK is not configured");
        }),
        "returns null", failing(() -> null));
    return keks.entrySet().stream().map(
        k -> DynamicTest.dynamicTest(k.getKey(), () -> test.accept(k.getValue())));
  }

  private static void assertApiError(String message, Runnable call) {
    VaultException e = assertThrows(VaultException.class, call::run);
    assertEquals(ErrorType.API, e.type());
    assertEquals(message, e.getMessage());
  }

  @TestFactory
  Stream<DynamicTest> aNewStoreIsNotOpenedAndGetsNoKeyset() {
    return each(kek -> {
      InMemoryVaultStore store = new InMemoryVaultStore();
      assertApiError("Cannot create the data keyset: the KEK refused to encrypt it.",
          () -> VaultEngine.builder().store(new NonClosingStore(store)).keyEncryptionKey(kek)
              .build());
      assertTrue(store.loadKeyset().isEmpty(), "a keyset was stored");
    });
  }

  @TestFactory
  Stream<DynamicTest> anExistingStoreIsNotOpened() {
    return each(kek -> {
      InMemoryVaultStore store = new InMemoryVaultStore();
      VaultEngine.builder().store(new NonClosingStore(store))
          .keyEncryptionKey(TestKeys.randomKek()).build().close();
      assertApiError("The key-encryption key cannot unwrap this store's data keyset: it is not "
              + "the KEK the store was created with, or the stored keyset is damaged. Nothing was "
              + "changed.",
          () -> VaultEngine.builder().store(new NonClosingStore(store)).keyEncryptionKey(kek)
              .build());
    });
  }

  @TestFactory
  Stream<DynamicTest> aKekRotationToItChangesNothing() {
    return each(kek -> {
      InMemoryVaultStore store = new InMemoryVaultStore();
      KeyEncryptionKey good = TestKeys.randomKek();
      try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(store))
          .keyEncryptionKey(good).build()) {
        String id = engine.forAccount("a").createVault(CreateVaultRequest.builder()
            .displayName("v").addCredential(CreateCredentialRequest.builder()
                .mcpServerUrl("https://a.example/").protocol(Protocol.SSE)
                .accessToken("tok_host_kek").build()).build()).vault().id();
        byte[] before = store.loadKeyset().orElseThrow();
        assertApiError("The new KEK cannot wrap the data keyset; nothing was changed.",
            () -> engine.keys().rotateKeyEncryptionKey(kek));
        assertArrayEquals(before, store.loadKeyset().orElseThrow(), "the keyset was changed");
        assertEquals("tok_host_kek", engine.forAccount("a").openSession(List.of(id))
            .resolve("https://a.example/").orElseThrow().accessToken().reveal());
      }
      // The old KEK still opens the store.
      VaultEngine.builder().store(new NonClosingStore(store)).keyEncryptionKey(good).build()
          .close();
    });
  }
}
