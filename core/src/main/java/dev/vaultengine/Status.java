package dev.vaultengine;

/** Lifecycle status of a vault or credential. Archival is one-way. */
public enum Status {
  /** Usable: a credential in this state can be resolved by a session. */
  ACTIVE("active"),
  /** Soft-deleted: readable, never resolved, its secret purged. */
  ARCHIVED("archived");

  private final String wireName;

  Status(String wireName) {
    this.wireName = wireName;
  }

  /** The JSON value, {@code active} or {@code archived}. */
  public String wireName() {
    return wireName;
  }

  /** Parses a JSON value; anything else is an {@code invalid_request_error} about {@code status}. */
  public static Status fromWire(String value) {
    return WireNames.parse(Status.class, values(), Status::wireName, value, "status");
  }
}
