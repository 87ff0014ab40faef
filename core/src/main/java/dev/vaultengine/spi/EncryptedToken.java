package dev.vaultengine.spi;

import java.util.Arrays;

/**
 * A token as stores see it: Tink ciphertext and the id of the data key that made it. The key id is
 * kept beside the bytes so "rows still on an old key" is an indexed query.
 *
 * @param keyId id of the data key (a Tink key id)
 * @param ciphertext opaque bytes; stores keep them exactly, never interpret them
 */
public record EncryptedToken(int keyId, byte[] ciphertext) {

  /** Copies the bytes so the record cannot be changed through the caller's array. */
  public EncryptedToken {
    ciphertext = ciphertext.clone();
  }

  /** A copy of the ciphertext. */
  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptedToken other
        && keyId == other.keyId
        && Arrays.equals(ciphertext, other.ciphertext);
  }

  @Override
  public int hashCode() {
    return 31 * keyId + Arrays.hashCode(ciphertext);
  }

  /** Key id and length only. */
  @Override
  public String toString() {
    return "EncryptedToken{keyId=" + keyId + ", bytes=" + ciphertext.length + "}";
  }
}
