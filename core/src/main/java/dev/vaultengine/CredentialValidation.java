package dev.vaultengine;

import java.time.Instant;
import java.util.Optional;

/**
 * The answer of {@code validateCredential} (the hosted APIs' {@code mcp_oauth_validate},
 * {@code vault_credential_validation}): whether an {@code mcp_oauth} credential can still produce a
 * working token, found by refreshing it now. Holds no token.
 *
 * @param credentialId the credential
 * @param vaultId its vault
 * @param validatedAt when the check ran
 * @param hasRefreshToken whether the credential has a refresh grant
 * @param status {@code valid}, {@code invalid} (authorize again) or {@code unknown} (retry later)
 * @param refresh what the refresh attempt did
 * @param detail a diagnostic known to hold no secret: an OAuth error code or an HTTP status
 */
public record CredentialValidation(
    String credentialId,
    String vaultId,
    Instant validatedAt,
    boolean hasRefreshToken,
    Status status,
    RefreshStatus refresh,
    Optional<String> detail) {

  /** The verdict. */
  public enum Status {
    /** A refresh just succeeded. */
    VALID("valid"),
    /** The grant is gone (or the token expired with no way to refresh it): authorize again. */
    INVALID("invalid"),
    /** It cannot be told now (the endpoint is unavailable, or there is nothing to try). */
    UNKNOWN("unknown");

    private final String wireName;

    Status(String wireName) {
      this.wireName = wireName;
    }

    /** The JSON value. */
    public String wireName() {
      return wireName;
    }
  }

  /** What the refresh attempt did. */
  public enum RefreshStatus {
    /** A new access token was obtained and stored. */
    SUCCEEDED("succeeded"),
    /** The endpoint answered with an error. */
    FAILED("failed"),
    /** No connection, or no answer in time. */
    CONNECT_ERROR("connect_error"),
    /** The credential has no refresh grant. */
    NO_REFRESH_TOKEN("no_refresh_token"),
    /** The engine has no token refresher, so nothing was tried. */
    NOT_CONFIGURED("not_configured");

    private final String wireName;

    RefreshStatus(String wireName) {
      this.wireName = wireName;
    }

    /** The JSON value. */
    public String wireName() {
      return wireName;
    }
  }
}
