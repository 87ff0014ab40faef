package dev.vaultengine.internal.crypto;

import dev.vaultengine.CredentialType;
import dev.vaultengine.spi.CredentialRow;
import java.util.Objects;

/**
 * Where a token is stored: what its ciphertext is bound to (as associated data), so that a
 * ciphertext copied to another row does not decrypt. One value instead of four strings in a row,
 * which a caller could pass in the wrong order without the compiler noticing.
 */
public record TokenPlace(String accountId, String vaultId, String credentialId,
    CredentialType type) {

  /** Every part is required. */
  public TokenPlace {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(vaultId, "vaultId");
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(type, "type");
  }

  /** The place of a stored row. */
  public static TokenPlace of(CredentialRow row) {
    return new TokenPlace(row.accountId(), row.vaultId(), row.id(), row.type());
  }

  byte[] associatedData() {
    return DataKeys.tokenAad(accountId, vaultId, credentialId, type.wireName());
  }
}
