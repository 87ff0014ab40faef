package dev.vaultengine.cli;

import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultSession;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vault sessions ...}: what a session injects, and why. */
@Command(name = "sessions", description = "Resolve or explain the credential a session injects; "
    + "list its environment placeholders.")
final class SessionsCommand extends CommandGroup {
  @ParentCommand
  VaultCli root;

  private VaultSession open(VaultEngine engine, List<String> vaultIds) {
    return root.service(engine).openSession(vaultIds);
  }

  @Command(name = "resolve", description = "The credential injected for --url; the "
      + "Authorization value only with --reveal.")
  int resolve(@Option(names = "--vault-ids", required = true, split = ",",
      paramLabel = "VAULT_ID", description = "The session's vaults, in order: the first match "
          + "wins.") List<String> vaultIds,
      @Option(names = "--url", required = true, paramLabel = "URL",
          description = "The MCP server URL the agent connects to.") String url,
      @Option(names = "--reveal", description = "Print the Authorization header value.")
      boolean reveal) {
    return root.withEngine(engine -> {
      root.print(open(engine, vaultIds).resolve(url)
          .map(r -> Json.resolved(r, reveal))
          .orElseGet(Json::unmatched));
    });
  }

  @Command(name = "explain", description = "Why --url resolves as it does: near misses included.")
  int explain(@Option(names = "--vault-ids", required = true, split = ",",
      paramLabel = "VAULT_ID", description = "The session's vaults, in order: the first match "
          + "wins.") List<String> vaultIds,
      @Option(names = "--url", required = true, paramLabel = "URL",
          description = "The MCP server URL the agent connects to.") String url) {
    return root.withEngine(engine -> {
      root.print(Json.explanation(open(engine, vaultIds).explain(url)));
    });
  }

  @Command(name = "env", description = {"The environment a session gives a tool: each "
      + "environment_variable secret name (first vault wins) and its placeholder, never a value.",
      "Placeholders are made per session: these mean something only to the session this "
          + "command opened and closed. A host gets its own from VaultSession.environment()."})
  int env(@Option(names = "--vault-ids", required = true, split = ",",
      paramLabel = "VAULT_ID", description = "The session's vaults, in order: the first match "
          + "wins.") List<String> vaultIds) {
    return root.withEngine(engine -> {
      root.print(Json.environment(vaultIds, open(engine, vaultIds).environment()));
    });
  }
}
