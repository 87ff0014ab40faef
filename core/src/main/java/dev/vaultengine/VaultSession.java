package dev.vaultengine;

import java.util.List;
import java.util.Optional;

/**
 * The vaults a session references, in priority order. Resolution is live: archive, delete and
 * rotation take effect at the next call. Thread-safe.
 */
public interface VaultSession {

  /** The session's vault ids, in priority order. */
  List<String> vaultIds();

  /**
   * The credential to inject when the agent connects to {@code mcpServerUrl}: the active
   * credential for the normalized URL in the first vault (in session order) that has one. Empty
   * means the connection goes unauthenticated, which is not an error.
   *
   * @throws VaultException.InvalidRequest for a malformed URL
   * @throws VaultException.Api naming the credential when its stored token no longer decrypts
   */
  Optional<ResolvedCredential> resolve(String mcpServerUrl);
}
