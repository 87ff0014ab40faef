package dev.vaultengine.spi;

import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialType;
import dev.vaultengine.Protocol;
import dev.vaultengine.Status;
import java.time.Instant;
import java.util.Map;

/**
 * A credential as a store keeps it. Secrets are ciphertext only, and null once the credential is
 * archived (crypto-shredded). A store persists every component and gives it back unchanged; it
 * interprets only the ids, {@link #identityKey}, status and times.
 *
 * @param accountId owning account
 * @param id credential id; ids order by creation time
 * @param vaultId owning vault
 * @param identityKey the key of the one-active-credential rule within a vault: the normalized URL
 *     for the MCP kinds (shared by {@code static_bearer} and {@code mcp_oauth}), or
 *     {@link #environmentKey(String)} of the secret name. Never empty.
 * @param kind the kind and its non-secret fields
 * @param displayName the credential's name, or null
 * @param metadata string pairs, never null
 * @param status active or archived
 * @param archivedAt null unless archived
 * @param createdAt creation time
 * @param updatedAt last change
 * @param secrets the encrypted secrets, null once archived
 */
public record CredentialRow(
    String accountId,
    String id,
    String vaultId,
    String identityKey,
    CredentialKind kind,
    String displayName,
    Map<String, String> metadata,
    Status status,
    Instant archivedAt,
    Instant createdAt,
    Instant updatedAt,
    EncryptedSecrets secrets) {

  /** Copies the metadata. */
  public CredentialRow {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /**
   * The identity key of an {@code environment_variable} named {@code secretName}. Normalized URLs
   * start with {@code http}, so the two kinds of key never collide.
   */
  public static String environmentKey(String secretName) {
    return "env:" + secretName;
  }

  /** The credential's type. */
  public CredentialType type() {
    return kind.type();
  }

  /** The MCP server URL as written, or null for an {@code environment_variable}. */
  public String mcpServerUrl() {
    return kind.mcpServerUrl();
  }

  /** The MCP transport, or null for an {@code environment_variable}. */
  public Protocol protocol() {
    return kind.protocol();
  }

  /**
   * The text a list's name filter matches besides the display name: the URL as written, or the
   * secret name.
   */
  public String searchableKey() {
    return kind instanceof CredentialKind.EnvironmentVariable e ? e.secretName() : mcpServerUrl();
  }

  /** The primary encrypted secret, or null once archived. */
  public EncryptedToken token() {
    return secrets == null ? null : secrets.token();
  }

  /** This row archived at {@code at}, its secrets purged. */
  public CredentialRow archived(Instant at) {
    return new CredentialRow(accountId, id, vaultId, identityKey, kind, displayName, metadata,
        Status.ARCHIVED, at, createdAt, at, null);
  }

  /** This row with other encrypted secrets (re-encryption). */
  public CredentialRow withSecrets(EncryptedSecrets newSecrets) {
    return new CredentialRow(accountId, id, vaultId, identityKey, kind, displayName, metadata,
        status, archivedAt, createdAt, updatedAt, newSecrets);
  }
}
