package dev.vaultengine.cli;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code vault vaults ...}: the vault operations. */
@Command(name = "vaults", description = "Create, list, get, update, archive and delete vaults.")
final class VaultsCommand extends CommandGroup {
  @ParentCommand
  VaultCli root;

  private VaultService service(VaultEngine engine) {
    return root.service(engine);
  }

  @Command(name = "create", description = "Create a vault; one token per --credential is read "
      + "from standard input, one line each, in order.")
  int create(
      @Option(names = "--display-name", required = true, paramLabel = "NAME",
          description = "The vault's name.") String displayName,
      @Option(names = "--metadata", paramLabel = "KEY=VALUE",
          description = "A metadata entry; repeat for more.") Map<String, String> metadata,
      @Option(names = "--credential", paramLabel = "URL,PROTOCOL",
          description = "A static_bearer credential for the MCP server at URL, PROTOCOL sse or "
              + "streamable_http; its token is the next line of standard input. Repeat for more.")
      List<String> credentials) {
    CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName(displayName)
        .metadata(metadata == null ? Map.of() : metadata);
    List<String> specs = credentials == null ? List.of() : credentials;
    for (int i = 0; i < specs.size(); i++) {
      String spec = specs.get(i);
      int comma = spec.lastIndexOf(',');
      if (comma < 0) {
        throw VaultException.invalidRequest("Option '--credential' must be URL,PROTOCOL.",
            "credentials[" + i + "]");
      }
      b.addCredential(CreateCredentialRequest.builder()
          .mcpServerUrl(spec.substring(0, comma))
          .protocol(spec.substring(comma + 1))
          .accessToken(root.readToken("credentials[" + i + "].access_token"))
          .build());
    }
    return root.withEngine(engine -> {
      root.print(Json.created(service(engine).createVault(b.build())));
    });
  }

  @Command(name = "list", description = "List vaults, newest first.")
  int list(@Mixin ListOptions options) {
    return root.withEngine(engine -> {
      root.print(Json.page(service(engine).listVaults(options.toRequest()), Json::vault));
    });
  }

  @Command(name = "get", description = "Get a vault.")
  int get(@Parameters(paramLabel = "ID") String id) {
    return root.withEngine(engine -> {
      root.print(Json.vault(service(engine).getVault(id)));
    });
  }

  @Command(name = "update", description = "Rename a vault or patch its metadata "
      + "(--metadata KEY= removes KEY).")
  int update(@Parameters(paramLabel = "ID") String id,
      @Option(names = "--display-name", paramLabel = "NAME",
          description = "The vault's new name.") String displayName,
      @Option(names = "--metadata", paramLabel = "KEY=VALUE",
          description = "Set KEY to VALUE; KEY= removes KEY. Repeat for more.")
      Map<String, String> metadata) {
    Map<String, String> patch = metadata == null ? null : new LinkedHashMap<>();
    if (metadata != null) {
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        patch.put(e.getKey(), e.getValue().isEmpty() ? null : e.getValue());
      }
    }
    return root.withEngine(engine -> {
      root.print(Json.vault(service(engine).updateVault(id,
          new UpdateVaultRequest(displayName, patch))));
    });
  }

  @Command(name = "archive", description = "Archive a vault and its credentials.")
  int archive(@Parameters(paramLabel = "ID") String id) {
    return root.withEngine(engine -> {
      root.print(Json.vault(service(engine).archiveVault(id)));
    });
  }

  @Command(name = "delete", description = "Delete a vault and its credentials.")
  int delete(@Parameters(paramLabel = "ID") String id) {
    return root.withEngine(engine -> {
      service(engine).deleteVault(id);
      root.print(Json.deleted(id, "vault_deleted"));
    });
  }
}
