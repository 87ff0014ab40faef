package dev.vaultengine.internal.crypto;

import dev.vaultengine.CredentialType;
import dev.vaultengine.spi.CredentialRow;
import java.util.Objects;

/**
 * Where a secret is stored: what its ciphertext is bound to (as associated data), so that a
 * ciphertext copied to another row or field does not decrypt. One value instead of five strings in
 * a row, which a caller could pass in the wrong order without the compiler noticing.
 *
 * <p>A {@code static_bearer} token keeps the first format (no field: it has one secret), so every
 * database written before the other kinds existed still decrypts without re-encryption; every
 * other secret uses the second format, which adds the field.
 */
public record TokenPlace(String accountId, String vaultId, String credentialId,
    CredentialType type, SecretField field) {

  /** Every part is required. */
  public TokenPlace {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(vaultId, "vaultId");
    Objects.requireNonNull(credentialId, "credentialId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(field, "field");
  }

  /** The primary secret's place: {@code access_token}, or {@code secret_value}. */
  public static TokenPlace primary(String accountId, String vaultId, String credentialId,
      CredentialType type) {
    return new TokenPlace(accountId, vaultId, credentialId, type, primaryField(type));
  }

  /** The place of a stored row's {@code field}. */
  public static TokenPlace of(CredentialRow row, SecretField field) {
    return new TokenPlace(row.accountId(), row.vaultId(), row.id(), row.type(), field);
  }

  /** The place of a stored row's primary secret. */
  public static TokenPlace of(CredentialRow row) {
    return of(row, primaryField(row.type()));
  }

  /** This place's credential with another field. */
  public TokenPlace withField(SecretField other) {
    return new TokenPlace(accountId, vaultId, credentialId, type, other);
  }

  static SecretField primaryField(CredentialType type) {
    return type == CredentialType.ENVIRONMENT_VARIABLE
        ? SecretField.SECRET_VALUE : SecretField.ACCESS_TOKEN;
  }

  byte[] associatedData() {
    if (type == CredentialType.STATIC_BEARER && field == SecretField.ACCESS_TOKEN) {
      return DataKeys.tokenAad(1, accountId, vaultId, credentialId, type.wireName(), null);
    }
    return DataKeys.tokenAad(2, accountId, vaultId, credentialId, type.wireName(),
        field.wireName());
  }
}
