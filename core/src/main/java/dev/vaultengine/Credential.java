package dev.vaultengine;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A credential as the API returns it: never a secret ({@code access_token}, {@code refresh_token},
 * {@code client_secret} and {@code secret_value} are write-only).
 *
 * @param id {@code vcred_} followed by 32 lowercase hex digits
 * @param vaultId the owning vault
 * @param kind the kind and its non-secret fields
 * @param displayName the credential's name, if it has one
 * @param metadata up to 16 string pairs, keys sorted
 * @param status active or archived
 * @param archivedAt when it was archived, present only when archived
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record Credential(
    String id,
    String vaultId,
    CredentialKind kind,
    Optional<String> displayName,
    Map<String, String> metadata,
    Status status,
    Optional<Instant> archivedAt,
    Instant createdAt,
    Instant updatedAt) {

  /** The credential's {@code type}. */
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
}
