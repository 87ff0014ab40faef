package dev.vaultengine;

import java.util.List;

/**
 * The data keyset at a glance. No key material.
 *
 * @param primaryKeyId the key that encrypts new tokens
 * @param keys every key, in keyset order
 * @param tokensOnOlderKeys stored tokens not yet on the primary key
 */
public record KeysetStatus(int primaryKeyId, List<DataKey> keys, long tokensOnOlderKeys) {

  /**
   * One data key.
   *
   * @param id Tink key id, recorded beside each token it encrypted
   * @param primary whether it encrypts new tokens
   * @param enabled whether it still decrypts
   */
  public record DataKey(int id, boolean primary, boolean enabled) {}
}
