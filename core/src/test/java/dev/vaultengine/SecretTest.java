package dev.vaultengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void neverPrintsItsValue() {
    Secret s = Secret.of("ghp_xxxxxxxxxxxx");
    assertEquals("Secret[redacted]", s.toString());
    assertEquals("Secret[redacted]", String.valueOf(s));
    ResolvedCredential r = new ResolvedCredential("vault_x", "vcred_y", "https://a/", Protocol.SSE, s);
    assertFalse(r.toString().contains("ghp_"), r.toString());
    CreateCredentialRequest req = CreateCredentialRequest.builder().accessToken(s).build();
    assertFalse(req.toString().contains("ghp_"), req.toString());
  }

  @Test
  void isNotSerializable() {
    assertFalse(Serializable.class.isAssignableFrom(Secret.class));
  }

  @Test
  void destroyWipesAndForbidsUse() {
    char[] source = "token-123".toCharArray();
    Secret s = Secret.of(source);
    source[0] = 'X';
    assertEquals("token-123", s.reveal(), "the secret keeps its own copy");
    s.destroy();
    assertTrue(s.isDestroyed());
    assertThrows(IllegalStateException.class, s::reveal);
  }

  @Test
  void comparesInConstantTimeByValue() {
    assertTrue(Secret.of("abc").sameAs(Secret.of("abc")));
    assertFalse(Secret.of("abc").sameAs(Secret.of("abd")));
    assertFalse(Secret.of("abc").sameAs(null));
    assertFalse(Secret.of("abc").equals(Secret.of("abc")), "equality is identity");
  }
}
