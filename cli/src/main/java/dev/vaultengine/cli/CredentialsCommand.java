package dev.vaultengine.cli;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CredentialType;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code vault credentials ...}: the credential operations. */
@Command(name = "credentials", description = "Create, list, get, archive, delete and rotate "
    + "credentials.")
final class CredentialsCommand extends CommandGroup {
  @ParentCommand
  VaultCli root;

  private VaultService service(VaultEngine engine) {
    return engine.forAccount(root.account);
  }

  @Command(name = "create", description = "Add a credential; its token is read from standard "
      + "input.")
  int create(@Parameters(paramLabel = "VAULT_ID") String vaultId,
      @Option(names = "--mcp-server-url", required = true) String url,
      @Option(names = "--protocol", required = true) String protocol,
      @Option(names = "--type", defaultValue = "static_bearer") String type) {
    CreateCredentialRequest request = CreateCredentialRequest.builder()
        .mcpServerUrl(url)
        .protocol(protocol)
        .type(CredentialType.fromWire(type))
        .accessToken(root.readToken("access_token"))
        .build();
    return root.withEngine(engine -> {
      root.print(Json.credential(service(engine).createCredential(vaultId, request)));
    });
  }

  @Command(name = "list", description = "List a vault's credentials, newest first.")
  int list(@Parameters(paramLabel = "VAULT_ID") String vaultId, @Mixin ListOptions options) {
    return root.withEngine(engine -> {
      root.print(Json.page(service(engine).listCredentials(vaultId, options.toRequest()),
          Json::credential));
    });
  }

  @Command(name = "get", description = "Get a credential (never its token).")
  int get(@Parameters(paramLabel = "VAULT_ID") String vaultId,
      @Parameters(paramLabel = "ID") String id) {
    return root.withEngine(engine -> {
      root.print(Json.credential(service(engine).getCredential(vaultId, id)));
    });
  }

  @Command(name = "archive", description = "Archive a credential and purge its secret.")
  int archive(@Parameters(paramLabel = "VAULT_ID") String vaultId,
      @Parameters(paramLabel = "ID") String id) {
    return root.withEngine(engine -> {
      root.print(Json.credential(service(engine).archiveCredential(vaultId, id)));
    });
  }

  @Command(name = "delete", description = "Delete a credential.")
  int delete(@Parameters(paramLabel = "VAULT_ID") String vaultId,
      @Parameters(paramLabel = "ID") String id) {
    return root.withEngine(engine -> {
      service(engine).deleteCredential(vaultId, id);
      root.print(Json.deleted(id, "vault_credential_deleted"));
    });
  }

  @Command(name = "rotate", description = "Replace a credential with a new one for the same URL; "
      + "the new token is read from standard input.")
  int rotate(@Parameters(paramLabel = "VAULT_ID") String vaultId,
      @Parameters(paramLabel = "ID") String id) {
    Secret token = Secret.of(root.readToken("access_token"));
    try {
      return root.withEngine(engine ->
          root.print(Json.credential(service(engine).rotateCredential(vaultId, id, token))));
    } finally {
      token.destroy();
    }
  }
}
