package dev.vaultengine.cli;

import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultSession;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vault sessions ...}: what a session injects, and why. */
@Command(name = "sessions", description = "Resolve or explain the credential a session injects.")
final class SessionsCommand extends CommandGroup {
  @ParentCommand
  VaultCli root;

  private VaultSession open(VaultEngine engine, List<String> vaultIds) {
    return engine.forAccount(root.account).openSession(vaultIds);
  }

  @Command(name = "resolve", description = "The credential injected for --url; the "
      + "Authorization value only with --reveal.")
  int resolve(@Option(names = "--vault-ids", required = true, split = ",") List<String> vaultIds,
      @Option(names = "--url", required = true) String url,
      @Option(names = "--reveal", description = "Print the Authorization header value.")
      boolean reveal) {
    return root.withEngine(engine -> {
      root.print(open(engine, vaultIds).resolve(url)
          .map(r -> Json.resolved(r, reveal))
          .orElseGet(Json::unmatched));
    });
  }

  @Command(name = "explain", description = "Why --url resolves as it does: near misses included.")
  int explain(@Option(names = "--vault-ids", required = true, split = ",") List<String> vaultIds,
      @Option(names = "--url", required = true) String url) {
    return root.withEngine(engine -> {
      root.print(Json.explanation(open(engine, vaultIds).explain(url)));
    });
  }
}
