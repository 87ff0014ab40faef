package dev.vaultengine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
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

  @Test
  void holdsAnyTextAsUtf8AndCountsUtf16Characters() {
    String text = "caf\u00e9-\ud83d\udd11-token"; // an accented letter and a surrogate pair
    Secret s = Secret.of(text);
    assertEquals(text, s.reveal());
    assertEquals(text.length(), s.length());
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), s.revealUtf8());
    Secret fromBytes = Secret.ofUtf8(text.getBytes(StandardCharsets.UTF_8));
    assertEquals(text, fromBytes.reveal());
    assertEquals(text.length(), fromBytes.length());
    assertTrue(fromBytes.sameAs(s));
    assertEquals(text, Secret.of(text.toCharArray()).reveal());
  }

  @Test
  void aLoneSurrogateBecomesTheReplacementCharacterNotAQuestionMark() {
    // The JDK's String.getBytes would turn it into '?', which is printable ASCII and would pass
    // the token rule; U+FFFD does not.
    Secret s = Secret.of("abc\ud800");
    assertEquals("abc\ufffd", s.reveal());
    assertEquals(4, s.length());
    assertArrayEquals(new byte[] {'a', 'b', 'c', (byte) 0xEF, (byte) 0xBF, (byte) 0xBD},
        s.revealUtf8());
  }

  @Test
  void rejectsMalformedUtf8WithoutEchoingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Secret.ofUtf8(new byte[] {'s', 'e', 'k', (byte) 0xC3}));
    assertFalse(e.getMessage().contains("sek"), e.getMessage());
  }

  @Test
  void aCopyIsIndependentAndTheArraysHandedOutAreTheCallersOwn() {
    Secret s = Secret.of("token-123");
    Secret copy = s.copy();
    s.revealUtf8()[0] = 'X';
    s.destroy();
    assertThrows(IllegalStateException.class, s::copy);
    assertEquals("token-123", copy.reveal());
    byte[] source = "token-456".getBytes(StandardCharsets.UTF_8);
    Secret fromBytes = Secret.ofUtf8(source);
    source[0] = 'X';
    assertEquals("token-456", fromBytes.reveal());
  }

  @Test
  void aCopyRacingADestroyIsWholeOrRefused() throws Exception {
    String value = "t".repeat(4096);
    for (int round = 0; round < 200; round++) {
      Secret s = Secret.of(value);
      Thread destroyer = new Thread(s::destroy);
      destroyer.start();
      for (int i = 0; i < 50; i++) {
        try {
          assertTrue(value.equals(s.copy().reveal()), "a copy must never be partly wiped");
        } catch (IllegalStateException destroyed) {
          break;
        }
      }
      destroyer.join();
    }
  }
}
