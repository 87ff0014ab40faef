package dev.vaultengine;

import java.util.List;
import java.util.Optional;

/**
 * Why a URL resolves (or does not) in a session: what was compared, which vaults were searched,
 * what matched, and the credentials that almost matched. Hosted APIs drop authentication silently
 * on a URL mismatch; this says which character was wrong. It never holds a secret.
 *
 * @param url the URL asked about and its normalized form
 * @param searchedVaultIds the session's vaults, in the order they are searched
 * @param match the credential resolve would inject, if any
 * @param nearMisses credentials on the same host that differ from the URL, in search order
 * @param refreshProblem for an {@code mcp_oauth} match, why its token would not be fresh (an
 *     engine without a refresher says {@link RefreshProblem#NO_REFRESHER} for every such match)
 */
public record Explanation(McpServerUrl url, List<String> searchedVaultIds,
    Optional<Credential> match, List<NearMiss> nearMisses,
    Optional<RefreshProblem> refreshProblem) {

  /** An explanation with no refresh problem. */
  public Explanation(McpServerUrl url, List<String> searchedVaultIds, Optional<Credential> match,
      List<NearMiss> nearMisses) {
    this(url, searchedVaultIds, match, nearMisses, Optional.empty());
  }

  /** How a credential's URL differs from the one asked about. */
  public enum Difference {
    /** http against https. */
    SCHEME,
    /** Another port (a default port counts as absent). */
    PORT,
    /** The same path but for a trailing slash. */
    TRAILING_SLASH,
    /** The same path but for letter case: paths are compared exactly. */
    PATH_CASE,
    /** Another path. */
    PATH,
    /** The same path with another query string. */
    QUERY,
    /** The same URL, but the credential is archived. */
    ARCHIVED
  }

  /**
   * A credential that almost matched.
   *
   * @param vaultId its vault
   * @param credentialId the credential
   * @param mcpServerUrl its URL as written
   * @param differences every way it differs, in the order of {@link Difference}
   */
  public record NearMiss(String vaultId, String credentialId, String mcpServerUrl,
      List<Difference> differences) {}

  /** A one-paragraph account for a person. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append("Compared as ").append(url.normalized()).append(" in vaults ")
        .append(searchedVaultIds).append(". ");
    if (match.isPresent()) {
      b.append("Matches credential ").append(match.get().id()).append(" of vault ")
          .append(match.get().vaultId()).append('.');
      refreshProblem.ifPresent(p -> b.append(" Its token: ").append(p.description()).append('.'));
    } else {
      b.append("No active credential matches; the connection goes unauthenticated.");
    }
    for (NearMiss m : nearMisses) {
      b.append(" Near miss: ").append(m.credentialId()).append(" (").append(m.mcpServerUrl())
          .append(") differs by ").append(m.differences()).append('.');
    }
    return b.toString();
  }
}
