package dev.vaultengine;

/** Kind of credential. The seeds support only a static bearer token. */
public enum CredentialType {
  /** A fixed token sent as {@code Authorization: Bearer <token>}. */
  STATIC_BEARER("static_bearer");

  private final String wireName;

  CredentialType(String wireName) {
    this.wireName = wireName;
  }

  /** The JSON value, {@code static_bearer}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a JSON value.
   *
   * @throws VaultException.InvalidRequest about {@code type} for null or any other value
   */
  public static CredentialType fromWire(String value) {
    return WireNames.parse(CredentialType.class, values(), CredentialType::wireName, value, "type");
  }
}
