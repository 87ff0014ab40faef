package dev.vaultengine.internal;

import dev.vaultengine.McpServerUrl;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.VaultException;
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
        return Optional.of(resolved(vaultId, key, row.get()));
      }
    }
    return Optional.empty();
  }

  private ResolvedCredential resolved(String vaultId, String key, CredentialRow c) {
    try {
      return new ResolvedCredential(c.vaultId(), c.id(), c.mcpServerUrl(), c.protocol(),
          engine.keys.decrypt(c));
    } catch (VaultException e) {
      // The row may have been re-encrypted (and its old key retired) between our read and the
      // decrypt: read it once more. A row that is truly damaged fails again, with its own name.
      Optional<CredentialRow> again = engine.store.findActiveCredential(accountId, vaultId, key);
      if (again.isEmpty() || again.get().token() == null || again.get().token().equals(c.token())) {
        throw e;
      }
      CredentialRow r = again.get();
      return new ResolvedCredential(r.vaultId(), r.id(), r.mcpServerUrl(), r.protocol(),
          engine.keys.decrypt(r));
    }
  }

  @Override
  public String toString() {
    return "VaultSession" + vaultIds;
  }
}
