package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vaultengine.ErrorType;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.memory.InMemoryVaultStore;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input to the engine's administration APIs ({@link VaultEngine#audit()},
 * {@link VaultEngine#keys()}) is an {@code invalid_request_error} naming the parameter, as for
 * {@code VaultService}: never an exception of the JDK.
 */
class AdministrationBadInputTest {
  private final VaultEngine engine = VaultEngine.builder().store(new InMemoryVaultStore())
      .keyEncryptionKey(TestKeys.randomKek()).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private static void assertInvalid(String message, String param, Executable call) {
    VaultException e = assertThrows(VaultException.class, call);
    assertEquals(ErrorType.INVALID_REQUEST, e.type());
    assertEquals(message, e.getMessage());
    assertEquals(Optional.of(param), e.param());
  }

  @Test
  void auditHashAndFindRefuseASecretWithoutAValue() {
    Secret destroyed = Secret.of("tok_destroyed_0001");
    destroyed.destroy();
    String gone = "Field 'secret' was destroyed before it could be hashed.";
    assertInvalid(gone, "secret", () -> engine.audit().hash(destroyed));
    assertInvalid(gone, "secret", () -> engine.audit().find(destroyed));
    String required = "Field 'secret' is required.";
    assertInvalid(required, "secret", () -> engine.audit().hash(Secret.of((String) null)));
    assertInvalid(required, "secret", () -> engine.audit().find(Secret.of((char[]) null)));
  }

  @Test
  void reencryptionRefusesANullProgress() {
    assertInvalid("Field 'progress' is required.", "progress",
        () -> engine.keys().reencrypt(10, null));
  }
}
