package dev.vaultengine.oauth;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import dev.vaultengine.Secret;
import dev.vaultengine.spi.RefreshGrant;
import dev.vaultengine.spi.RefreshOutcome;
import dev.vaultengine.spi.TokenRefresher;
import dev.vaultengine.oauth.internal.RetryAfter;
import dev.vaultengine.oauth.internal.TokenEndpointTransport;
import dev.vaultengine.oauth.internal.TokenEndpointTransport.Exchange;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link TokenRefresher} that sends RFC 6749 section 6 refresh-token requests with the Nimbus
 * OAuth SDK: Nimbus builds the request ({@code grant_type=refresh_token}, the refresh token,
 * {@code scope} and the RFC 8707 {@code resource} when the grant has them, and the client
 * authentication: {@code none} puts {@code client_id} in the body, {@code client_secret_basic} an
 * HTTP Basic header, {@code client_secret_post} both in the body) and parses the answer; the JDK
 * HTTP client carries it, once, without following redirects.
 *
 * <p>What comes back:
 *
 * <ul>
 *   <li>a token response (2xx, JSON, {@code token_type} Bearer, an {@code access_token} of
 *       printable ASCII without spaces, as the engine takes one): {@link RefreshOutcome.Refreshed},
 *       with {@code expires_in} when the server gave a positive one of at most 100 years and the
 *       refresh token when the server sent one that differs from the one it was sent;
 *   <li>an OAuth error (any 4xx but 408 and 429, or a 2xx whose JSON has an {@code error} and no
 *       {@code access_token}): {@link RefreshOutcome.Rejected} with the status and the error code
 *       if it is a registered one (RFC 6749 5.2 and RFC 8707's {@code invalid_target}), else
 *       {@code "other"};
 *   <li>429: {@code Unavailable(RATE_LIMITED)}, 5xx: {@code Unavailable(SERVER_ERROR)}, 408 (the
 *       server gave up waiting for the request, so it did not use the refresh token):
 *       {@code Unavailable(TIMEOUT)}, each with the server's {@code Retry-After} (seconds or an
 *       HTTP-date) when it gave one;
 *   <li>no connection (refused, unreachable, unknown host, connect timeout, TLS failure):
 *       {@code Unavailable(CONNECT_FAILED)}; connected but no complete answer in time:
 *       {@code Unavailable(TIMEOUT)}; the connection closed before an answer:
 *       {@code Unavailable(SERVER_ERROR)} with status 0;
 *   <li>a 2xx that is not a token response (not JSON, no {@code access_token} or one with a
 *       space, a control or a non-ASCII character, another {@code token_type}, a body over 1 MiB),
 *       and any status outside 2xx, 4xx and 5xx (a redirect, which is not followed):
 *       {@code Unavailable(MALFORMED_RESPONSE)}.
 * </ul>
 *
 * <p>A call never takes longer than the connect timeout plus the read timeout: the endpoint has at
 * least the read timeout to answer, whole body included, once connected. An interrupt of the
 * calling thread (a cancelled task, such as a Reactor worker disposed when an MCP request times
 * out) does not cut the call short, since the server may already have rotated the refresh token it
 * was sent: the answer is still read within that bound, and the interrupt status is kept. Nothing
 * here logs, throws for a protocol or network failure, or keeps a secret in a field: the refresh
 * token and client secret are revealed for the one request and the copies this class can reach are
 * wiped after it; outcomes hold only the status, a registered error code, a delay and the new
 * tokens as {@link Secret}s. No part of a response body other than those tokens, such as an
 * {@code error_description}, is kept.
 *
 * <p>Immutable and thread-safe; build one per process with {@link #builder()} and share it.
 */
public final class NimbusTokenRefresher implements TokenRefresher {

  /** Default longest wait for a connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Default time an endpoint has to answer once connected. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  /**
   * The longest {@code expires_in} taken as a lifetime, 100 years; a longer one is not a lifetime
   * anyone means (and its expiry could pass the year 9999 or overflow), so it counts as none.
   */
  static final Duration MAX_LIFETIME = Duration.ofDays(36_525);


  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Clock clock;
  private final TokenEndpointTransport transport;

  private NimbusTokenRefresher(Builder builder) {
    this.connectTimeout = builder.connectTimeout;
    this.readTimeout = builder.readTimeout;
    this.clock = builder.clock;
    this.transport = new TokenEndpointTransport(connectTimeout, readTimeout);
  }

  /** A builder with the defaults: 5 s to connect, 10 s to answer, the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** The longest wait for a connection. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long an endpoint has to answer once connected. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /**
   * Sends {@code grant} once and says what the endpoint answered.
   *
   * @throws NullPointerException if {@code grant} is null
   * @throws IllegalArgumentException if the grant cannot be put into a request (a resource that is
   *     not an absolute URI without fragment, a blank client id or refresh token): the engine
   *     validates these when a credential is written, so this is a bug, not an endpoint's answer
   * @throws IllegalStateException if the grant's secrets were destroyed before the call
   */
  @Override
  public RefreshOutcome refresh(RefreshGrant grant) {
    Objects.requireNonNull(grant, "grant");
    HTTPRequest request = tokenRequest(grant);
    // The transport enforces the same values (see TokenEndpointTransport for how).
    request.setConnectTimeout(toMillis(connectTimeout));
    request.setReadTimeout(toMillis(readTimeout));
    request.setFollowRedirects(false);
    Exchange exchange = transport.send(request);
    if (exchange instanceof Exchange.Failed) {
      return failed(((Exchange.Failed) exchange).failure());
    }
    return answered((Exchange.Answered) exchange, grant.refreshToken());
  }

  /** The Nimbus request for {@code grant}; the client secret copy it needed is wiped. */
  private static HTTPRequest tokenRequest(RefreshGrant grant) {
    URI resource = grant.resource().map(NimbusTokenRefresher::resourceUri).orElse(null);
    RefreshTokenGrant refresh = new RefreshTokenGrant(new RefreshToken(grant.refreshToken().reveal()));
    ClientID clientId = new ClientID(grant.clientId());
    com.nimbusds.oauth2.sdk.auth.Secret clientSecret = null;
    try {
      TokenRequest.Builder builder;
      switch (grant.authMethod()) {
        case NONE:
          builder = new TokenRequest.Builder(grant.tokenEndpoint(), clientId, refresh);
          break;
        case CLIENT_SECRET_BASIC:
          clientSecret = new com.nimbusds.oauth2.sdk.auth.Secret(grant.clientSecret().reveal());
          builder = new TokenRequest.Builder(grant.tokenEndpoint(),
              new ClientSecretBasic(clientId, clientSecret), refresh);
          break;
        case CLIENT_SECRET_POST:
          clientSecret = new com.nimbusds.oauth2.sdk.auth.Secret(grant.clientSecret().reveal());
          builder = new TokenRequest.Builder(grant.tokenEndpoint(),
              new ClientSecretPost(clientId, clientSecret), refresh);
          break;
        default:
          throw new IllegalArgumentException("unknown client authentication method");
      }
      grant.scope().map(Scope::parse).ifPresent(builder::scope);
      if (resource != null) {
        builder.resource(resource);
      }
      return builder.build().toHTTPRequest();
    } finally {
      if (clientSecret != null) {
        clientSecret.erase();
      }
    }
  }

  private static URI resourceUri(String resource) {
    try {
      URI uri = new URI(resource);
      if (!uri.isAbsolute() || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("resource must be an absolute URI without fragment");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("resource is not a URI");
    }
  }

  private static RefreshOutcome failed(TokenEndpointTransport.Failure failure) {
    switch (failure) {
      case CONNECT_FAILED:
        return unavailable(RefreshOutcome.Reason.CONNECT_FAILED, 0, Optional.empty());
      case TIMEOUT:
        return unavailable(RefreshOutcome.Reason.TIMEOUT, 0, Optional.empty());
      default:
        // The connection ended after the request went out: the server may have used the refresh
        // token. The SPI has no closer reason than a server error without a status.
        return unavailable(RefreshOutcome.Reason.SERVER_ERROR, 0, Optional.empty());
    }
  }

  private RefreshOutcome answered(Exchange.Answered answer, Secret sentRefreshToken) {
    int status = answer.status();
    byte[] body = answer.body();
    try {
      if (status == 429) {
        return unavailable(RefreshOutcome.Reason.RATE_LIMITED, status, retryAfter(answer));
      }
      if (status >= 500 && status <= 599) {
        return unavailable(RefreshOutcome.Reason.SERVER_ERROR, status, retryAfter(answer));
      }
      if (status == 408) {
        // Transient: refused as a grant, it would stay GRANT_REVOKED until a user acted.
        return unavailable(RefreshOutcome.Reason.TIMEOUT, status, retryAfter(answer));
      }
      boolean success = status >= 200 && status <= 299;
      if (!success && (status < 400 || status > 499)) {
        return malformed(status); // 1xx, 3xx (not followed), or no valid status at all
      }
      if (body == null) { // over the size limit
        return success ? malformed(status) : new RefreshOutcome.Rejected(status, RefreshOutcome.Rejected.OTHER);
      }
      HTTPResponse response = nimbusResponse(answer, body);
      return success ? parseSuccess(response, status, sentRefreshToken)
          : new RefreshOutcome.Rejected(status, registered(ErrorObject.parse(response)));
    } finally {
      if (body != null) {
        Arrays.fill(body, (byte) 0);
      }
    }
  }

  private static HTTPResponse nimbusResponse(Exchange.Answered answer, byte[] body) {
    HTTPResponse response = new HTTPResponse(answer.status());
    if (answer.contentType().isPresent()) {
      try {
        response.setContentType(answer.contentType().get());
      } catch (ParseException e) {
        // Not a media type: the body is then not JSON to Nimbus either.
      }
    }
    if (body.length > 0) {
      // RFC 8259: JSON exchanged between systems is UTF-8.
      response.setBody(new String(body, StandardCharsets.UTF_8));
    }
    return response;
  }

  private static RefreshOutcome parseSuccess(HTTPResponse response, int status,
      Secret sentRefreshToken) {
    TokenResponse parsed;
    try {
      parsed = TokenResponse.parse(response.getBodyAsJSONObject());
    } catch (ParseException e) {
      return malformed(status);
    }
    if (!parsed.indicatesSuccess()) {
      // A JSON body without access_token: an OAuth error if it names one (some servers answer
      // errors with 200), else not a token response.
      ErrorObject error = ((TokenErrorResponse) parsed).getErrorObject();
      return error == null || error.getCode() == null ? malformed(status)
          : new RefreshOutcome.Rejected(status, registered(error));
    }
    Tokens tokens = ((AccessTokenResponse) parsed).getTokens();
    AccessToken access = tokens.getAccessToken();
    if (!(access instanceof BearerAccessToken)) {
      return malformed(status); // DPoP or another type this client cannot present
    }
    if (!headerSafe(access.getValue())) {
      // The engine refuses such a token at create, and the JDK's HTTP client refuses it in a
      // header with an error that quotes it.
      return malformed(status);
    }
    long lifetime = access.getLifetime();
    Optional<Duration> expiresIn = lifetime > 0 && lifetime <= MAX_LIFETIME.getSeconds()
        ? Optional.of(Duration.ofSeconds(lifetime)) : Optional.empty();
    Optional<Secret> rotated = Optional.empty();
    RefreshToken refreshToken = tokens.getRefreshToken();
    if (refreshToken != null) {
      Secret next = Secret.of(refreshToken.getValue());
      if (next.sameAs(sentRefreshToken)) {
        next.destroy(); // the same token back: not rotated
      } else {
        rotated = Optional.of(next);
      }
    }
    return new RefreshOutcome.Refreshed(Secret.of(access.getValue()), expiresIn, rotated);
  }

  /** An access token as the engine takes one: printable ASCII without spaces, for a header. */
  private static boolean headerSafe(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /** The code {@code error} names ({@code Rejected} keeps it only if it is registered). */
  private static String registered(ErrorObject error) {
    return error == null ? null : error.getCode();
  }

  private Optional<Duration> retryAfter(Exchange.Answered answer) {
    return answer.retryAfter().flatMap(value -> RetryAfter.parse(value, clock));
  }

  private static RefreshOutcome malformed(int status) {
    return unavailable(RefreshOutcome.Reason.MALFORMED_RESPONSE, status, Optional.empty());
  }

  private static RefreshOutcome unavailable(RefreshOutcome.Reason reason, int status,
      Optional<Duration> retryAfter) {
    return new RefreshOutcome.Unavailable(reason, status, retryAfter);
  }

  private static int toMillis(Duration duration) {
    return (int) duration.toMillis();
  }

  /** Settings for a {@link NimbusTokenRefresher}; not thread-safe, the refresher it builds is. */
  public static final class Builder {
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Longest wait for a connection (default 5 s).
     *
     * @throws IllegalArgumentException unless between 1 ms and {@link Integer#MAX_VALUE} ms
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = checkTimeout(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * How long an endpoint has to answer once connected, body included (default 10 s).
     *
     * @throws IllegalArgumentException unless between 1 ms and {@link Integer#MAX_VALUE} ms
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = checkTimeout(readTimeout, "readTimeout");
      return this;
    }

    /** The clock an HTTP-date {@code Retry-After} is measured from (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A refresher with these settings and its own HTTP client. */
    public NimbusTokenRefresher build() {
      return new NimbusTokenRefresher(this);
    }

    private static Duration checkTimeout(Duration timeout, String name) {
      Objects.requireNonNull(timeout, name);
      if (timeout.compareTo(Duration.ofMillis(1)) < 0
          || timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
        throw new IllegalArgumentException(name + " must be between 1 ms and "
            + Integer.MAX_VALUE + " ms");
      }
      return timeout;
    }
  }
}
