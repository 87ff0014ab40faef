/**
 * HTTP for tool code: {@link dev.vaultengine.tools.ToolHttpClient} sends a tool's requests through
 * a session, which puts {@code environment_variable} values in place of their placeholders only
 * toward the hosts and in the places each credential allows.
 */
module dev.vaultengine.tools {
  requires transitive dev.vaultengine.core;

  exports dev.vaultengine.tools;
}
