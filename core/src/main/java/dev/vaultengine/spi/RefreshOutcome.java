package dev.vaultengine.spi;

import dev.vaultengine.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a token endpoint answered to a refresh, as a closed set. A {@link TokenRefresher} never
 * throws for a protocol failure; it returns one of these, and nothing in them is taken from a
 * response body unless it is known to hold no secret (an OAuth error code from the registered set,
 * a status code, a Retry-After delay).
 */
public sealed interface RefreshOutcome
    permits RefreshOutcome.Refreshed, RefreshOutcome.Rejected, RefreshOutcome.Unavailable {

  /**
   * A new access token.
   *
   * @param accessToken the new access token
   * @param expiresIn its lifetime from now, if the server said ({@code expires_in})
   * @param refreshToken a new refresh token when the server rotated it; the old one must then never
   *     be sent again
   */
  record Refreshed(Secret accessToken, Optional<Duration> expiresIn, Optional<Secret> refreshToken)
      implements RefreshOutcome {
    /** Requires the token and both optionals. */
    public Refreshed {
      Objects.requireNonNull(accessToken, "accessToken");
      Objects.requireNonNull(expiresIn, "expiresIn");
      Objects.requireNonNull(refreshToken, "refreshToken");
    }
  }

  /**
   * The grant is gone: an OAuth error or another 4xx. Retrying will not help; the user must
   * authorize again.
   *
   * @param httpStatus the response status
   * @param error the OAuth error code when it is a registered one ({@code invalid_grant},
   *     {@code invalid_client}, ...), else {@code "other"}: any other text a refresher passes
   *     is replaced here, since it came from a response body and may hold anything
   */
  record Rejected(int httpStatus, String error) implements RefreshOutcome {
    /** The registered token error codes: RFC 6749 section 5.2 and RFC 8707 section 2. */
    public static final java.util.List<String> REGISTERED_ERRORS = java.util.List.of(
        "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
        "unsupported_grant_type", "invalid_scope", "invalid_target");

    /** What every code that is not registered becomes. */
    public static final String OTHER = "other";

    /** Keeps {@code error} only as the registered constant it equals, else {@link #OTHER}. */
    public Rejected {
      String known = OTHER;
      for (String code : REGISTERED_ERRORS) {
        if (code.equals(error)) {
          known = code;
        }
      }
      error = known;
    }
  }

  /**
   * The endpoint could not answer now: retry later, with backoff.
   *
   * @param reason why
   * @param httpStatus the response status, or 0 when there was no response
   * @param retryAfter the server's Retry-After, if it gave one
   */
  record Unavailable(Reason reason, int httpStatus, Optional<Duration> retryAfter)
      implements RefreshOutcome {
    /** Requires a reason and the optional. */
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }
  }

  /** Why a token endpoint was unavailable. */
  enum Reason {
    /** A 5xx answer. */
    SERVER_ERROR,
    /** A 429 answer. */
    RATE_LIMITED,
    /** No connection could be made. */
    CONNECT_FAILED,
    /**
     * Connected, but no answer within the read timeout; or a 408 answer (the server timed out
     * waiting for the request, so it did not use the refresh token).
     */
    TIMEOUT,
    /** A 2xx answer that is not a token response (bad JSON, no {@code access_token}). */
    MALFORMED_RESPONSE
  }
}
