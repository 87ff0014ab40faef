package dev.vaultengine.cli;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CredentialType;
import dev.vaultengine.Secret;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code vault credentials ...}: the credential operations. */
@Command(name = "credentials", description = "Create, list, get, update, archive, delete and "
    + "rotate credentials.")
final class CredentialsCommand extends CommandGroup {
  @ParentCommand
  VaultCli root;

  private VaultService service(VaultEngine engine) {
    return root.service(engine);
  }

  @Command(name = "create", description = {"Add a credential.",
      "With --body, the REST request body as JSON, secrets inside it: --body - reads it from "
          + "standard input, --body @FILE from a file. Otherwise a static_bearer (or --type) "
          + "credential from --mcp-server-url and --protocol, its token read from standard input."})
  int create(@Parameters(paramLabel = "VAULT_ID") String vaultId,
      @Option(names = "--body", paramLabel = "-|@FILE",
          description = "The request body as JSON: - for standard input, @FILE for a file.")
      String body,
      @Option(names = "--mcp-server-url", paramLabel = "URL",
          description = "Without --body: the MCP server the credential is for.") String url,
      @Option(names = "--protocol", paramLabel = "PROTOCOL",
          description = "Without --body: sse or streamable_http.") String protocol,
      @Option(names = "--type", paramLabel = "TYPE",
          description = "Without --body (default: static_bearer).")
      String type) {
    CreateCredentialRequest request;
    if (body != null) {
      if (url != null || protocol != null || type != null) {
        throw VaultException.invalidRequest("Option '--body' cannot be combined with "
            + "--mcp-server-url, --protocol or --type: give every field in the body.", "body");
      }
      char[] json = root.readBody(body);
      try {
        request = CredentialBody.create(json);
      } finally {
        Arrays.fill(json, '\0');
      }
    } else {
      if (url == null || protocol == null) {
        throw VaultException.invalidRequest("Give the request body with --body, or both "
            + "--mcp-server-url and --protocol.", url == null ? "mcp_server_url" : "protocol");
      }
      request = CreateCredentialRequest.builder()
          .mcpServerUrl(url)
          .protocol(protocol)
          .type(CredentialType.fromWire(type == null ? "static_bearer" : type))
          .accessToken(root.readToken("access_token"))
          .build();
    }
    try {
      return root.withEngine(engine -> {
        root.print(Json.credential(service(engine).createCredential(vaultId, request)));
      });
    } finally {
      CredentialBody.destroySecrets(request);
    }
  }

  @Command(name = "update", description = {"Change a credential in place (a merge patch): "
      + "the REST request body as JSON, secrets inside it, from standard input (--body -) or a "
      + "file (--body @FILE).",
      "Fields left out are kept, null clears, a metadata key set to null is removed; "
          + "mcp_server_url, secret_name, refresh.token_endpoint and refresh.client_id cannot "
          + "change."})
  int update(@Parameters(paramLabel = "VAULT_ID") String vaultId,
      @Parameters(paramLabel = "ID") String id,
      @Option(names = "--body", paramLabel = "-|@FILE", required = true,
          description = "The request body as JSON: - for standard input, @FILE for a file.")
      String body) {
    char[] json = root.readBody(body);
    UpdateCredentialRequest request;
    try {
      request = CredentialBody.update(json);
    } finally {
      Arrays.fill(json, '\0');
    }
    try {
      return root.withEngine(engine -> {
        root.print(Json.credential(service(engine).updateCredential(vaultId, id, request)));
      });
    } finally {
      CredentialBody.destroySecrets(request);
    }
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

  @Command(name = "validate", description = {"Check that an mcp_oauth credential can still "
      + "produce a working token by refreshing it now (the hosted APIs' mcp_oauth_validate).",
      "status: valid (refreshed), invalid (authorize again) or unknown (retry later). Prints no "
          + "token."})
  int validate(@Parameters(paramLabel = "VAULT_ID") String vaultId,
      @Parameters(paramLabel = "ID") String id) {
    return root.withEngine(engine -> {
      root.print(Json.validation(service(engine).validateCredential(vaultId, id)));
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
