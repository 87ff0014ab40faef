package dev.vaultengine.tools;

import dev.vaultengine.VaultSession;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP client for tool code that calls APIs with a session's {@code environment_variable}
 * credentials. The tool sees only placeholders ({@link #placeholder}, {@link #environment}) and
 * writes them where the value belongs (a header, the body); {@link #send} hands the request to
 * {@link VaultSession#send}, which puts the real value in only toward the hosts the credential's
 * {@code networking} allows and only where its {@code injection_location} allows, and decides that
 * again for every redirect hop. A tool that logs its requests, or an API that echoes them, shows
 * the placeholder.
 *
 * <pre>{@code
 * ToolHttpClient http = ToolHttpClient.of(session);
 * HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.openai.com/v1/models"))
 *     .header("Authorization", "Bearer " + http.placeholder("OPENAI_API_KEY")).build();
 * HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Thread-safe; one per session is enough. It owns nothing that needs closing.
 */
public final class ToolHttpClient {
  /**
   * How long a request that sets no timeout of its own waits for the response's headers: 60 s.
   * The JDK's client has no such limit, so a tool's call to a server that never answers would
   * hang the agent's turn for good.
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final VaultSession session;
  private final HttpClient client;
  private final Duration requestTimeout;

  private ToolHttpClient(VaultSession session, HttpClient client, Duration requestTimeout) {
    this.session = session;
    this.client = client;
    this.requestTimeout = requestTimeout;
  }

  /**
   * A tool client for {@code session} over a new {@link HttpClient} that does not follow
   * redirects itself (the session follows them, deciding substitution per hop) and gives up
   * connecting after 10 s; a request without a timeout of its own gets
   * {@link #DEFAULT_REQUEST_TIMEOUT}.
   */
  public static ToolHttpClient of(VaultSession session) {
    return of(session, HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build());
  }

  /**
   * A tool client for {@code session} over the host's {@code client} (its proxy, TLS, executor);
   * a request without a timeout of its own gets {@link #DEFAULT_REQUEST_TIMEOUT}.
   *
   * @throws IllegalArgumentException when {@code client} follows redirects: the JDK client would
   *     carry a substituted header to wherever a redirect points, so the session refuses it; this
   *     says so when the tool is set up rather than at its first request
   */
  public static ToolHttpClient of(VaultSession session, HttpClient client) {
    return of(session, client, DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * As {@link #of(VaultSession, HttpClient)}, giving a request without a timeout of its own
   * {@code requestTimeout} instead of the default.
   *
   * @throws IllegalArgumentException when {@code client} follows redirects, or when
   *     {@code requestTimeout} is zero or negative
   */
  public static ToolHttpClient of(VaultSession session, HttpClient client,
      Duration requestTimeout) {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
    }
    if (client.followRedirects() != HttpClient.Redirect.NEVER) {
      throw new IllegalArgumentException("A tool's HttpClient must be built with "
          + "followRedirects(HttpClient.Redirect.NEVER): the session follows redirects itself and "
          + "decides for each hop whether the host may receive a value");
    }
    return new ToolHttpClient(session, client, requestTimeout);
  }

  /**
   * The session's environment: each secret name mapped to its placeholder, never a value. Hand it
   * to the tool when it is set up; it walks the session's credentials, so it is not for every
   * request.
   */
  public Map<String, String> environment() {
    return session.environment();
  }

  /**
   * The placeholder for {@code secretName}.
   *
   * @throws IllegalArgumentException when the session has no {@code environment_variable} of that
   *     name (the message names it; names are not secret)
   */
  public String placeholder(String secretName) {
    Objects.requireNonNull(secretName, "secretName");
    String placeholder = session.environment().get(secretName);
    if (placeholder == null) {
      throw new IllegalArgumentException(
          "The session has no environment_variable named '" + secretName + "'");
    }
    return placeholder;
  }

  /**
   * Sends {@code request} with the session's placeholders replaced where the credentials allow,
   * following redirects (at most 5, never https to http) with the same decision per hop. A request
   * without a timeout of its own is given this client's (each hop has it).
   *
   * @throws dev.vaultengine.VaultException.InvalidRequest when the body cannot be read or is over
   *     16 MiB
   * @throws java.net.http.HttpTimeoutException when no response headers came within the
   *     request's timeout
   * @throws IOException as {@link HttpClient#send}
   * @throws InterruptedException as {@link HttpClient#send}
   */
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Objects.requireNonNull(request, "request");
    HttpRequest timed = request.timeout().isPresent() ? request
        : HttpRequest.newBuilder(request, (name, value) -> true).timeout(requestTimeout).build();
    return session.send(client, timed, handler);
  }

  /** The session this client sends for. */
  public VaultSession session() {
    return session;
  }
}
