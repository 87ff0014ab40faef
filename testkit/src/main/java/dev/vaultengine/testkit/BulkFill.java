package dev.vaultengine.testkit;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.RefreshPatch;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.VaultService;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Fills a vault service with many credentials of every kind holding random secrets, for at-rest
 * scans: whatever a store writes (files, memory) is searched for every secret written.
 */
public final class BulkFill {
  private BulkFill() {}

  /**
   * Creates {@code vaults} vaults of {@code perVault} credentials each, of every kind in turn, each
   * secret random and its own: a {@code static_bearer} token ({@code tok_} and 32 hex digits), an
   * {@code mcp_oauth} access token ({@code at_}), refresh token ({@code rt_}) and client secret
   * ({@code cs_}), an {@code environment_variable} value ({@code sv_}, 32 hex digits and two
   * non-ASCII letters, so that a store's UTF-8 and UTF-16 forms of non-ASCII text are searched
   * too). Then every tenth {@code mcp_oauth} credential gets a new refresh token and client
   * secret by update, and every tenth {@code environment_variable} a new value by update and
   * another by rotation, so the secrets written by those paths are searched as well.
   *
   * @return every secret written, to scan for (more than {@code vaults * perVault})
   */
  public static List<String> randomSecrets(VaultService service, int vaults, int perVault) {
    List<String> secrets = new ArrayList<>(vaults * perVault * 2);
    SecureRandom random = new SecureRandom();
    for (int v = 0; v < vaults; v++) {
      CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName("vault " + v);
      for (int c = 0; c < perVault; c++) {
        switch (c % 3) {
          case 0 -> b.addCredential(CreateCredentialRequest.builder()
              .mcpServerUrl("https://svc" + c + ".example/mcp").protocol(Protocol.SSE)
              .accessToken(secret(random, "tok_", secrets)).build());
          case 1 -> b.addCredential(CreateCredentialRequest.builder()
              .type(CredentialType.MCP_OAUTH).mcpServerUrl("https://svc" + c + ".example/mcp")
              .protocol(Protocol.STREAMABLE_HTTP).accessToken(secret(random, "at_", secrets))
              .refresh(new OAuthRefreshRequest("https://auth.example/token", "client-" + c,
                  "read", null, secret(random, "rt_", secrets), c % 2 == 0
                      ? TokenEndpointAuth.basic(secret(random, "cs_", secrets))
                      : TokenEndpointAuth.post(secret(random, "cs_", secrets))))
              .build());
          default -> b.addCredential(CreateCredentialRequest.builder()
              .type(CredentialType.ENVIRONMENT_VARIABLE).secretName("VAR_" + c)
              .secretValue(value(random, secrets)).networking(Networking.unrestricted())
              .injectionLocation(new InjectionLocation(true, true)).build());
        }
      }
      CreatedVault created = service.createVault(b.build());
      List<Credential> credentials = created.credentials();
      for (int c = 0; c < credentials.size(); c++) {
        Credential credential = credentials.get(c);
        if (c % 30 == 1) {
          service.updateCredential(created.vault().id(), credential.id(),
              UpdateCredentialRequest.builder(CredentialType.MCP_OAUTH)
                  .refresh(RefreshPatch.empty().withRefreshToken(secret(random, "rt_", secrets))
                      .withTokenEndpointAuth(TokenEndpointAuth.basic(
                          secret(random, "cs_", secrets))))
                  .build());
        } else if (c % 30 == 2) {
          service.updateCredential(created.vault().id(), credential.id(),
              UpdateCredentialRequest.builder(CredentialType.ENVIRONMENT_VARIABLE)
                  .secretValue(value(random, secrets)).build());
          service.rotateCredential(created.vault().id(), credential.id(),
              value(random, secrets));
        }
      }
    }
    return secrets;
  }

  /**
   * The same fill as {@link #randomSecrets}; kept for callers that scanned for tokens before there
   * were other kinds of secret.
   *
   * @return every secret written, to scan for
   */
  public static List<String> randomTokens(VaultService service, int vaults, int perVault) {
    return randomSecrets(service, vaults, perVault);
  }

  private static Secret secret(SecureRandom random, String prefix, List<String> secrets) {
    byte[] raw = new byte[16];
    random.nextBytes(raw);
    String s = prefix + HexFormat.of().formatHex(raw);
    secrets.add(s);
    return Secret.of(s);
  }

  private static Secret value(SecureRandom random, List<String> secrets) {
    byte[] raw = new byte[16];
    random.nextBytes(raw);
    String s = "sv_" + HexFormat.of().formatHex(raw) + "_\u00fc\u00df";
    secrets.add(s);
    return Secret.of(s);
  }
}
