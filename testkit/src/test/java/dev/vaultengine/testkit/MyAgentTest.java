package dev.vaultengine.testkit;

import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.VaultService;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

// The README's "Testing a host" example, run as written (ReadmeExampleTest checks the README
// shows exactly the code between the markers).
// README:start
@ExtendWith(VaultEngineExtension.class)
class MyAgentTest {
  @Test
  void injectsTheGithubToken(VaultService vaults, MutableClock clock) {
    RequestGenerators generate = new RequestGenerators(42);
    String url = "https://mcp.github.com/sse";
    String expectedToken = generate.token();
    var vault = vaults.createVault(CreateVaultRequest.builder()
        .displayName(generate.displayName())
        .addCredential(generate.credential(url, expectedToken))
        .build());
    var session = vaults.openSession(List.of(vault.vault().id()));
    VaultAssertions.assertInjects(session, url, expectedToken);

    clock.advance(Duration.ofDays(1)); // time is the test's to move
    vaults.archiveVault(vault.vault().id());
    VaultAssertions.assertInjectsNothing(session, url);
  }
}
// README:end
