package dev.vaultengine;

import java.time.Instant;
import java.util.Optional;

/**
 * A credential as the API returns it: never its access token, which is write-only.
 *
 * @param id {@code vcred_} followed by 32 lowercase hex digits
 * @param vaultId the owning vault
 * @param mcpServerUrl the URL exactly as it was written
 * @param protocol MCP transport
 * @param type credential type
 * @param status active or archived
 * @param archivedAt when it was archived, present only when archived
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record Credential(
    String id,
    String vaultId,
    String mcpServerUrl,
    Protocol protocol,
    CredentialType type,
    Status status,
    Optional<Instant> archivedAt,
    Instant createdAt,
    Instant updatedAt) {}
