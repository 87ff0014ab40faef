package dev.vaultengine;

/**
 * Why a resolved {@code mcp_oauth} token is not fresh: it is within the refresh window (or past its
 * expiry) and could not be refreshed. The token is still served while it has not expired; after
 * that the MCP server will refuse it, and this says why.
 */
public enum RefreshProblem {
  /** The engine was built without a {@link dev.vaultengine.spi.TokenRefresher}: tokens are served as stored. */
  NO_REFRESHER("the engine has no token refresher, so the token is served as stored"),
  /** The credential has no {@code refresh} block. */
  NO_REFRESH_GRANT("the credential has no refresh grant"),
  /** The token endpoint refused the grant ({@code invalid_grant} or another 4xx): authorize again. */
  GRANT_REVOKED("the token endpoint refused the refresh grant; the user must authorize again"),
  /** The token endpoint could not answer (5xx, 429, timeout, connection, malformed answer). */
  TEMPORARILY_UNAVAILABLE("the token endpoint could not answer; the engine retries with backoff"),
  /** Another thread or host holds the refresh and did not finish within the wait bound. */
  REFRESHING_ELSEWHERE("another thread or host is refreshing it and did not finish in time");

  private final String description;

  RefreshProblem(String description) {
    this.description = description;
  }

  /** One sentence for a person. */
  public String description() {
    return description;
  }
}
