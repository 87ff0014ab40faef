package dev.vaultengine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The associated data of a secret must keep its byte layout forever: stored ciphertexts were made
 * with it. Format 1 ({@code static_bearer} tokens, the only kind before credential kinds) is pinned
 * to the DataOutputStream layout it was first written with; format 2 adds the field's name.
 */
class TokenAadLayoutTest {
  private static byte[] aad(int version, String type, String field) throws Exception {
    Method aad = Class.forName("dev.vaultengine.internal.crypto.DataKeys").getDeclaredMethod(
        "tokenAad", int.class, String.class, String.class, String.class, String.class,
        String.class);
    aad.setAccessible(true);
    return (byte[]) aad.invoke(null, version, "acct_a", "vault_01", "vcred_02", type, field);
  }

  private static byte[] expected(int version, String type, String field) throws Exception {
    var bytes = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(bytes)) {
      out.writeUTF("vault-engine/token");
      out.writeInt(version);
      out.writeUTF("acct_a");
      out.writeUTF("vault_01");
      out.writeUTF("vcred_02");
      out.writeUTF(type);
      if (field != null) {
        out.writeUTF(field);
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void formatOneIsStable() throws Exception {
    assertArrayEquals(expected(1, "static_bearer", null), aad(1, "static_bearer", null));
  }

  @Test
  void formatTwoEndsWithTheField() throws Exception {
    assertArrayEquals(expected(2, "mcp_oauth", "refresh_token"),
        aad(2, "mcp_oauth", "refresh_token"));
  }
}
