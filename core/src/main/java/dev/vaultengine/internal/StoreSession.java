package dev.vaultengine.internal;

import dev.vaultengine.McpServerUrl;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.VaultSession;
import dev.vaultengine.spi.CredentialRow;
import java.util.List;
import java.util.Optional;

/** A session: an ordered list of vault ids, resolved against the store at every call. */
final class StoreSession implements VaultSession {
  private final Engine engine;
  private final String accountId;
  private final List<String> vaultIds;

  StoreSession(Engine engine, String accountId, List<String> vaultIds) {
    this.engine = engine;
    this.accountId = accountId;
    this.vaultIds = vaultIds;
  }

  @Override
  public List<String> vaultIds() {
    return vaultIds;
  }

  @Override
  public Optional<ResolvedCredential> resolve(String mcpServerUrl) {
    String key = McpServerUrl.parse(mcpServerUrl).normalized();
    for (String vaultId : vaultIds) {
      Optional<CredentialRow> row = engine.store.findActiveCredential(accountId, vaultId, key);
      if (row.isPresent()) {
        CredentialRow c = row.get();
        return Optional.of(new ResolvedCredential(c.vaultId(), c.id(), c.mcpServerUrl(),
            c.protocol(), engine.keys.decrypt(c)));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "VaultSession" + vaultIds;
  }
}
