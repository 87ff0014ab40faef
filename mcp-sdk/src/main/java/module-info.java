/**
 * A {@link dev.vaultengine.VaultSession}'s credentials for the official MCP Java SDK's HTTP client
 * transports: {@link dev.vaultengine.mcp.VaultMcpAuth} makes the request customizers and the
 * authorization error handler. The SDK's jars are automatic modules with stable names.
 */
module dev.vaultengine.mcp {
  requires transitive dev.vaultengine.core;
  requires transitive io.modelcontextprotocol.sdk.mcp.core;
  requires transitive reactor.core;
  requires transitive org.reactivestreams;

  exports dev.vaultengine.mcp;
}
