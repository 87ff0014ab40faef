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

  /**
   * Why {@code mcpServerUrl} resolves as it does: the normalized URL, the vaults searched, the
   * match, and near misses (same host, other scheme, port, path, trailing slash, path case or
   * query; archived credentials). Walks the session's credentials, so it is a diagnostic, not a
   * hot path. Holds no secret.
   *
   * @throws VaultException.InvalidRequest for a malformed URL
   */
  Explanation explain(String mcpServerUrl);
}
