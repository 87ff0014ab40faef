package dev.vaultengine;

/** The documented error types of the Vaults API, with their wire names. */
public enum ErrorType {
  /** Bad input: a missing, malformed or out-of-range field. Nothing was changed. */
  INVALID_REQUEST("invalid_request_error"),
  /** The vault or credential does not exist for the calling account. */
  NOT_FOUND("not_found_error"),
  /** The request collides with the current state (a duplicate URL, an archived record). */
  CONFLICT("conflict_error"),
  /** Something failed inside the engine or its store; the message says what, never a secret. */
  API("api_error");

  private final String wireName;

  ErrorType(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the REST error envelope, such as {@code invalid_request_error}. */
  public String wireName() {
    return wireName;
  }
}
