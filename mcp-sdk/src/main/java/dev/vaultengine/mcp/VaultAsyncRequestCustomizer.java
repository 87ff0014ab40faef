package dev.vaultengine.mcp;

import dev.vaultengine.VaultSession;
import io.modelcontextprotocol.client.transport.customizer.McpAsyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;
import java.net.URI;
import java.net.http.HttpRequest;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The non-blocking form of {@link VaultRequestCustomizer}: a request the server URL covers is
 * handed back once the session has answered on the customizer's scheduler (by default Reactor's
 * bounded elastic one), so a store read or a token refresh never blocks the transport's event
 * loop; any other request is handed back at once, untouched. Made by
 * {@link VaultMcpAuth#asyncRequestCustomizer()}.
 */
public final class VaultAsyncRequestCustomizer implements McpAsyncHttpClientRequestCustomizer {
  private final VaultMcpAuth auth;
  private final Scheduler scheduler;

  VaultAsyncRequestCustomizer(VaultMcpAuth auth, Scheduler scheduler) {
    this.auth = auth;
    this.scheduler = scheduler;
  }

  @Override
  public Publisher<HttpRequest.Builder> customize(HttpRequest.Builder builder, String method,
      URI endpoint, String body, McpTransportContext context) {
    VaultSession session;
    try {
      session = auth.sessionForRequest(endpoint, context);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    if (session == null) {
      return Mono.just(builder);
    }
    return Mono.fromCallable(() -> {
      auth.apply(session, builder);
      return builder;
    }).subscribeOn(scheduler);
  }

  @Override
  public String toString() {
    return "VaultAsyncRequestCustomizer[" + auth.mcpServerUrl() + "]";
  }
}
