package dev.vaultengine;

/** MCP transport of a credential's server. */
public enum Protocol {
  /** Server-sent events. */
  SSE("sse"),
  /** Streamable HTTP. */
  STREAMABLE_HTTP("streamable_http");

  private final String wireName;

  Protocol(String wireName) {
    this.wireName = wireName;
  }

  /** The JSON value, {@code sse} or {@code streamable_http}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a JSON value.
   *
   * @throws VaultException.InvalidRequest about {@code protocol} for null or any other value
   */
  public static Protocol fromWire(String value) {
    return WireNames.parse(Protocol.class, values(), Protocol::wireName, value, "protocol");
  }
}
