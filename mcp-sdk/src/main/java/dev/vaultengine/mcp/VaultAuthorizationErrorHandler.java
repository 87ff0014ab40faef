package dev.vaultengine.mcp;

import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.http.HttpResponse;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * After a 401 from the MCP server, asks the session again and has the transport send the request
 * once more when that gives another token: an {@code mcp_oauth} credential that still holds the
 * refused token is refreshed ({@link dev.vaultengine.VaultSession#resolveAfterRejection}, once
 * across threads and hosts); a credential rotated or refreshed since the request was built is
 * simply sent. The retry goes through the request customizer again, so it carries the new token.
 * A 403 (insufficient scope, which a new token of the same grant does not change), a request the
 * server URL does not cover, no credential, or the same token again: no retry, and the caller gets
 * the SDK's {@code McpHttpClientTransportAuthorizationException}. At most one retry per request
 * ({@link #maxRetries()}).
 *
 * <p>Made by {@link VaultMcpAuth#authorizationErrorHandler()}. The SDK 2.1.0 calls it from
 * {@code HttpClientStreamableHttpTransport}; its SSE transport has no such hook (there a token is
 * fresh only through the session's proactive refresh before expiry).
 */
public final class VaultAuthorizationErrorHandler
    implements McpHttpClientTransportAuthorizationErrorHandler {
  private final VaultMcpAuth auth;
  private final Scheduler scheduler;

  VaultAuthorizationErrorHandler(VaultMcpAuth auth, Scheduler scheduler) {
    this.auth = auth;
    this.scheduler = scheduler;
  }

  @Override
  public Publisher<Boolean> handle(HttpRequestSnapshot requestSnapshot,
      HttpResponse.ResponseInfo responseInfo, McpTransportContext context) {
    if (responseInfo == null || responseInfo.statusCode() != 401) {
      return Mono.just(false);
    }
    return Mono.fromCallable(() -> auth.retryAfterUnauthorized(requestSnapshot, context))
        .subscribeOn(scheduler);
  }

  /** One: a request refused twice is refused. */
  @Override
  public int maxRetries() {
    return 1;
  }

  @Override
  public String toString() {
    return "VaultAuthorizationErrorHandler[" + auth.mcpServerUrl() + "]";
  }
}
