package dev.vaultengine.spi;

import dev.vaultengine.CredentialType;
import dev.vaultengine.Protocol;
import dev.vaultengine.Status;
import java.time.Instant;

/**
 * A credential as a store keeps it. The token is ciphertext only, and null once the credential is
 * archived (crypto-shredded).
 *
 * @param accountId owning account
 * @param id credential id; ids order by creation time
 * @param vaultId owning vault
 * @param mcpServerUrl the URL exactly as written
 * @param urlKey the normalized URL, the key of the one-active-credential-per-URL rule
 * @param protocol MCP transport
 * @param type credential type
 * @param status active or archived
 * @param archivedAt null unless archived
 * @param createdAt creation time
 * @param updatedAt last change
 * @param token the encrypted token, null once archived
 */
public record CredentialRow(
    String accountId,
    String id,
    String vaultId,
    String mcpServerUrl,
    String urlKey,
    Protocol protocol,
    CredentialType type,
    Status status,
    Instant archivedAt,
    Instant createdAt,
    Instant updatedAt,
    EncryptedToken token) {

  /** This row archived at {@code at}, its token purged. */
  public CredentialRow archived(Instant at) {
    return new CredentialRow(
        accountId, id, vaultId, mcpServerUrl, urlKey, protocol, type,
        Status.ARCHIVED, at, createdAt, at, null);
  }

  /** This row with another encrypted token (re-encryption). */
  public CredentialRow withToken(EncryptedToken newToken) {
    return new CredentialRow(
        accountId, id, vaultId, mcpServerUrl, urlKey, protocol, type,
        status, archivedAt, createdAt, updatedAt, newToken);
  }
}
