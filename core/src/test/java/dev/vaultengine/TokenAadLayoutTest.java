package dev.vaultengine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The associated data of a token must keep its byte layout forever: stored ciphertexts were made
 * with it. This pins it to the DataOutputStream layout it was first written with.
 */
class TokenAadLayoutTest {
  @Test
  void layoutIsStable() throws Exception {
    Method aad = Class.forName("dev.vaultengine.internal.crypto.DataKeys")
        .getDeclaredMethod("tokenAad", String.class, String.class, String.class, String.class);
    aad.setAccessible(true);
    byte[] actual = (byte[]) aad.invoke(null, "acct_a", "vault_01", "vcred_02", "static_bearer");
    var bytes = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(bytes)) {
      out.writeUTF("vault-engine/token");
      out.writeInt(1);
      out.writeUTF("acct_a");
      out.writeUTF("vault_01");
      out.writeUTF("vcred_02");
      out.writeUTF("static_bearer");
    }
    assertArrayEquals(bytes.toByteArray(), actual);
  }
}
