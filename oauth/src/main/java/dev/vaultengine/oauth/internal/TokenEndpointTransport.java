package dev.vaultengine.oauth.internal;

import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProxySelector;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Sends a Nimbus-built token request over {@code java.net.http}, in place of Nimbus's own
 * {@code HttpURLConnection} sender, because a refresh token must go out at most once and nothing
 * about it may reach a log:
 *
 * <ul>
 *   <li>{@code HttpURLConnection} sends a POST a second time, on a new connection, when the first
 *       one closes before an answer ({@code sun.net.http.retryPost} is on by default); with a
 *       rotating server the second use of a refresh token can revoke the whole grant. The JDK
 *       client never retries a POST.
 *   <li>{@code HttpURLConnection} logs every request header, {@code Authorization} included, when
 *       its logger is at {@code FINE}; the JDK client logs headers only when the process was
 *       started with {@code -Djdk.httpclient.HttpClient.log}.
 *   <li>The whole call is bounded (connect, then answer, body included, by one deadline), an
 *       interrupt of the calling thread does not cut it short (the answer to a refresh token that
 *       went out is read; the interrupt status is kept), the body is read up to
 *       {@link #MAX_RESPONSE_BYTES} and no further, and redirects are not followed (a redirect
 *       would carry the client's credentials to another address).
 * </ul>
 *
 * <p>Thread-safe. Nothing here logs, and no exception leaves it: every failure is an
 * {@link Exchange.Failed} without a message.
 */
public final class TokenEndpointTransport {

  /** The largest response body read; a token response is a few kilobytes. */
  public static final int MAX_RESPONSE_BYTES = 1 << 20;

  private final HttpClient client;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  /**
   * A transport with its own HTTP/1.1 client (one selector thread, daemon worker threads).
   *
   * @param connectTimeout longest wait for the connection
   * @param readTimeout how long the endpoint has to answer once connected; a call as a whole
   *     takes at most {@code connectTimeout + readTimeout}
   */
  public TokenEndpointTransport(Duration connectTimeout, Duration readTimeout) {
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1);
    // As HttpURLConnection does: the process's proxy settings (http.proxyHost, https.proxyHost).
    ProxySelector proxies = ProxySelector.getDefault();
    if (proxies != null) {
      builder.proxy(proxies);
    }
    this.client = builder.build();
  }

  /** What one exchange came to. */
  public sealed interface Exchange permits Exchange.Answered, Exchange.Failed {

    /**
     * The endpoint answered.
     *
     * @param status the HTTP status
     * @param contentType the first {@code Content-Type} value, if any
     * @param retryAfter the first {@code Retry-After} value, if any
     * @param body the body, or null when it was larger than {@link #MAX_RESPONSE_BYTES} (the
     *     receiver wipes it)
     */
    record Answered(int status, Optional<String> contentType, Optional<String> retryAfter,
        byte[] body) implements Exchange {}

    /** No answer. */
    record Failed(Failure failure) implements Exchange {}
  }

  /** Why there was no answer. */
  public enum Failure {
    /** No connection could be made (refused, unreachable, unknown host, connect timeout, TLS). */
    CONNECT_FAILED,
    /** Connected, but no complete answer before the deadline. */
    TIMEOUT,
    /** Connected, but the connection ended before a complete answer. */
    CONNECTION_LOST
  }

  /**
   * Sends {@code request} (a POST with a form body, as Nimbus builds token requests) once.
   * The timeouts are this transport's; the request's own are ignored.
   */
  public Exchange send(ReadOnlyHTTPRequest request) {
    long budget = connectTimeout.toNanos() + readTimeout.toNanos();
    long deadline = System.nanoTime() + budget;
    String form = request.getBody();
    byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
    CompletableFuture<HttpResponse<byte[]>> pending = null;
    try {
      HttpRequest.Builder builder = HttpRequest.newBuilder(request.getURI())
          // Runs from the start of the exchange, connection included: with the connect timeout
          // below it, the endpoint always has at least readTimeout once connected.
          .timeout(Duration.ofNanos(budget))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      boolean accept = false;
      for (Map.Entry<String, List<String>> header : request.getHeaderMap().entrySet()) {
        accept |= header.getKey().equalsIgnoreCase("Accept");
        for (String value : header.getValue()) {
          builder.header(header.getKey(), value);
        }
      }
      if (!accept) {
        // Some endpoints answer in form encoding unless asked for JSON.
        builder.header("Accept", "application/json");
      }
      pending = client.sendAsync(builder.build(),
          info -> new BoundedBody(MAX_RESPONSE_BYTES));
      // The request timeout ends when the headers arrive; this bounds the body as well.
      HttpResponse<byte[]> response = await(pending, deadline);
      HttpHeaders headers = response.headers();
      return new Exchange.Answered(response.statusCode(), headers.firstValue("Content-Type"),
          headers.firstValue("Retry-After"), response.body());
    } catch (TimeoutException e) {
      pending.cancel(true);
      return new Exchange.Failed(Failure.TIMEOUT);
    } catch (ExecutionException e) {
      return new Exchange.Failed(classify(e.getCause()));
    } catch (IllegalArgumentException e) {
      // An endpoint the client cannot address (a scheme other than http or https).
      return new Exchange.Failed(Failure.CONNECT_FAILED);
    } catch (RuntimeException e) {
      return new Exchange.Failed(Failure.CONNECTION_LOST);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  /**
   * The answer, waited for until {@code deadline} (a {@link System#nanoTime()} value). An interrupt
   * does not end the wait: the refresh token may already have reached the server, which then
   * rotated it, and giving up on its answer would leave the credential with a spent grant. The
   * thread's interrupt status is set again before this returns.
   */
  private static <T> T await(CompletableFuture<T> pending, long deadline)
      throws ExecutionException, TimeoutException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Sorts a failed exchange by what it says about the connection; never reads a message. */
  static Failure classify(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return Failure.CONNECT_FAILED;
    }
    if (cause instanceof HttpTimeoutException) {
      return Failure.TIMEOUT;
    }
    if (cause instanceof ConnectException || cause instanceof UnknownHostException
        || cause instanceof NoRouteToHostException || cause instanceof UnresolvedAddressException
        || cause instanceof SSLException) {
      return Failure.CONNECT_FAILED;
    }
    return Failure.CONNECTION_LOST;
  }

  /**
   * Collects a body up to a limit. Past it, the rest is not read (the connection is dropped) and
   * the body is null; every buffer it filled is wiped when it is done with it.
   */
  static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] buffer = new byte[2048];
    private int size;
    private boolean done;

    BoundedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletableFuture<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (done) {
        return;
      }
      for (ByteBuffer item : items) {
        int n = item.remaining();
        if (n > limit - size) {
          done = true;
          wipe();
          subscription.cancel();
          result.complete(null);
          return;
        }
        if (size + n > buffer.length) {
          byte[] grown = Arrays.copyOf(buffer, Math.min(limit, Math.max(size + n, buffer.length * 2)));
          Arrays.fill(buffer, (byte) 0);
          buffer = grown;
        }
        item.get(buffer, size, n);
        size += n;
      }
    }

    @Override
    public void onError(Throwable throwable) {
      if (!done) {
        done = true;
        wipe();
        result.completeExceptionally(throwable);
      }
    }

    @Override
    public void onComplete() {
      if (!done) {
        done = true;
        byte[] body = Arrays.copyOf(buffer, size);
        wipe();
        result.complete(body);
      }
    }

    private void wipe() {
      Arrays.fill(buffer, (byte) 0);
    }
  }
}
