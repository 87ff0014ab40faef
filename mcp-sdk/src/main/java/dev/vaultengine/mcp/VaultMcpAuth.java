package dev.vaultengine.mcp;

import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.VaultSession;
import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.common.McpTransportContext;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A {@link VaultSession}'s credential for one MCP server, for the official MCP Java SDK's
 * {@code HttpClientStreamableHttpTransport} and {@code HttpClientSseClientTransport}:
 *
 * <pre>{@code
 * VaultMcpAuth auth = VaultMcpAuth.forServer("https://mcp.example.com/mcp", session);
 * McpClientTransport transport = HttpClientStreamableHttpTransport.builder("https://mcp.example.com")
 *     .endpoint("/mcp")
 *     .addHttpRequestCustomizer(auth.requestCustomizer())
 *     .authorizationErrorHandler(auth.authorizationErrorHandler())
 *     .build();
 * }</pre>
 *
 * <p>The server URL is the credential's {@code mcp_server_url}: the transport's endpoint (base URI
 * plus endpoint, or plus SSE endpoint). On every request the customizer asks the session for that
 * URL's credential and sets {@code Authorization: Bearer ...}, so a rotation, a refresh or an
 * archive takes effect at the next request, without reconnecting. It sets it only on requests the
 * server URL covers: the URL itself, or the same origin under the directory of its path (the SSE
 * message endpoint); any other request, such as a message endpoint a server names on another
 * origin, goes without it.
 *
 * <p>The session is the one given here, or one chosen per call: a value under {@link #SESSION_KEY}
 * in the SDK's {@link McpTransportContext} (see {@link #transportContext}) wins over it. Without
 * either, requests go without a credential.
 *
 * <p>Immutable and thread-safe; one per transport.
 */
public final class VaultMcpAuth {
  /** The {@link McpTransportContext} key whose value, a {@link VaultSession}, serves that call. */
  public static final String SESSION_KEY = "dev.vaultengine.mcp.session";

  private static final System.Logger LOG = System.getLogger(VaultMcpAuth.class.getName());

  private final RequestScope scope;
  private final VaultSession session;
  private final AtomicBoolean warnedOutOfScope = new AtomicBoolean();

  private VaultMcpAuth(String mcpServerUrl, VaultSession session) {
    this.scope = new RequestScope(Objects.requireNonNull(mcpServerUrl, "mcpServerUrl"));
    this.session = session;
  }

  /**
   * The credential {@code session} holds for {@code mcpServerUrl}, unless a call's transport
   * context names another session.
   *
   * @throws dev.vaultengine.VaultException.InvalidRequest when the URL is not an absolute http or
   *     https URL
   */
  public static VaultMcpAuth forServer(String mcpServerUrl, VaultSession session) {
    return new VaultMcpAuth(mcpServerUrl, Objects.requireNonNull(session, "session"));
  }

  /**
   * The credential for {@code mcpServerUrl} of the session each call names in its transport
   * context ({@link #transportContext}); a call that names none goes without a credential.
   *
   * @throws dev.vaultengine.VaultException.InvalidRequest when the URL is not an absolute http or
   *     https URL
   */
  public static VaultMcpAuth forServer(String mcpServerUrl) {
    return new VaultMcpAuth(mcpServerUrl, null);
  }

  /**
   * A transport context that makes the calls it goes with use {@code session}: return it from
   * {@code McpClient.sync(transport).transportContextProvider(...)}, or put it into a Reactor
   * context under {@link McpTransportContext#KEY} for the async client.
   */
  public static McpTransportContext transportContext(VaultSession session) {
    return McpTransportContext.create(Map.of(SESSION_KEY, Objects.requireNonNull(session,
        "session")));
  }

  /** The server URL, as given. */
  public String mcpServerUrl() {
    return scope.server().original();
  }

  /** Whether a request to {@code requestUri} may carry this server's credential. */
  public boolean covers(URI requestUri) {
    return scope.covers(requestUri);
  }

  /**
   * The customizer for {@code addHttpRequestCustomizer(...)}. It runs on the thread that builds the
   * request and asks the session there, which may read the store or refresh a token (blocking):
   * use it with the SDK's sync client, or use {@link #asyncRequestCustomizer()}.
   */
  public VaultRequestCustomizer requestCustomizer() {
    return new VaultRequestCustomizer(this);
  }

  /**
   * The customizer for {@code addAsyncHttpRequestCustomizer(...)}: asks the session on Reactor's
   * bounded elastic scheduler, since that may block, so it never blocks an event loop.
   */
  public VaultAsyncRequestCustomizer asyncRequestCustomizer() {
    return asyncRequestCustomizer(Schedulers.boundedElastic());
  }

  /** As {@link #asyncRequestCustomizer()}, asking the session on {@code scheduler}. */
  public VaultAsyncRequestCustomizer asyncRequestCustomizer(Scheduler scheduler) {
    return new VaultAsyncRequestCustomizer(this, Objects.requireNonNull(scheduler, "scheduler"));
  }

  /**
   * The handler for the streamable HTTP transport's {@code authorizationErrorHandler(...)}: after
   * a 401 on a covered request it asks the session again ({@link
   * VaultSession#resolveAfterRejection}, which refreshes an {@code mcp_oauth} credential that
   * still holds the refused token) and has the transport retry once when that gives a token other
   * than the refused one. It works on Reactor's bounded elastic scheduler.
   */
  public VaultAuthorizationErrorHandler authorizationErrorHandler() {
    return authorizationErrorHandler(Schedulers.boundedElastic());
  }

  /** As {@link #authorizationErrorHandler()}, working on {@code scheduler}. */
  public VaultAuthorizationErrorHandler authorizationErrorHandler(Scheduler scheduler) {
    return new VaultAuthorizationErrorHandler(this, Objects.requireNonNull(scheduler,
        "scheduler"));
  }

  @Override
  public String toString() {
    return "VaultMcpAuth[" + scope.server().normalized() + "]";
  }

  // ----------------------------------------------------------------------------- shared logic

  /** The session serving a call: the transport context's, else this one's, else null. */
  VaultSession sessionFor(McpTransportContext context) {
    Object chosen = context == null ? null : context.get(SESSION_KEY);
    if (chosen == null) {
      return session;
    }
    if (chosen instanceof VaultSession) {
      return (VaultSession) chosen;
    }
    throw new IllegalStateException("The MCP transport context holds a "
        + chosen.getClass().getName() + " under " + SESSION_KEY + ", not a VaultSession");
  }

  /** The session for a request to {@code uri}, or null when the request gets no credential. */
  VaultSession sessionForRequest(URI uri, McpTransportContext context) {
    if (!scope.covers(uri)) {
      if (uri != null && warnedOutOfScope.compareAndSet(false, true)) {
        LOG.log(Level.WARNING, () -> "Not sending the credential for " + scope.server().normalized()
            + " with a request to " + RequestScope.describe(uri)
            + ": not that URL, nor under its directory on its origin");
      }
      return null;
    }
    return sessionFor(context);
  }

  /** Sets the header on {@code builder} when {@code session} has a credential for the server. */
  void apply(VaultSession session, HttpRequest.Builder builder) {
    Optional<ResolvedCredential> credential = session.resolve(scope.server().original());
    if (credential.isPresent()) {
      credential.get().applyTo(builder);
    }
  }

  /**
   * After a 401 on {@code refused}: whether to send it again. Only for a covered request and only
   * when the session now gives a token other than the one refused (refreshing it if it is an
   * {@code mcp_oauth} credential that still holds the refused token).
   */
  boolean retryAfterUnauthorized(HttpRequestSnapshot refused, McpTransportContext context) {
    if (refused == null || !scope.covers(refused.requestUri())) {
      return false;
    }
    VaultSession s = sessionFor(context);
    if (s == null) {
      return false;
    }
    String url = scope.server().original();
    Optional<ResolvedCredential> now = s.resolve(url);
    if (now.isEmpty()) {
      LOG.log(Level.DEBUG, () -> "401 from " + scope.server().normalized()
          + ": the session has no credential for it, not retrying");
      return false;
    }
    ResolvedCredential current = now.get();
    Optional<String> sent = refused.headers().firstValue("Authorization");
    if (sent.isEmpty() || !sameHeader(sent.get(), current)) {
      LOG.log(Level.DEBUG, () -> "401 from " + scope.server().normalized() + ": credential "
          + current.credentialId() + " holds another token than the refused request, retrying");
      return true;
    }
    Optional<ResolvedCredential> after = s.resolveAfterRejection(url, current);
    boolean retry = after.isPresent() && !after.get().accessToken().sameAs(current.accessToken());
    LOG.log(Level.DEBUG, () -> "401 from " + scope.server().normalized() + ": credential "
        + current.credentialId() + (retry ? " has a new token, retrying"
            : " has no other token" + after.flatMap(ResolvedCredential::refreshProblem)
                .map(p -> " (" + p + ")").orElse("") + ", not retrying"));
    return retry;
  }

  private static boolean sameHeader(String sent, ResolvedCredential current) {
    return MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        current.authorizationHeader().getBytes(StandardCharsets.UTF_8));
  }
}
