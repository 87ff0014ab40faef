package dev.vaultengine.internal;

import dev.vaultengine.CredentialKind;
import dev.vaultengine.Networking;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One session's {@code environment_variable} placeholders, and their substitution at egress. A
 * placeholder is 128 random bits, made per session and secret name, so it says nothing about the
 * value and is worthless outside the session. Substitution decides per request: the value replaces
 * its placeholder only when the request's host is allowed by the credential's networking and only in
 * the locations its injection_location enables; anywhere else the placeholder stays as it is.
 */
final class Placeholders {
  /** Bodies are read whole to substitute; more than this is refused rather than buffered. */
  static final int MAX_BODY = 16 * 1024 * 1024;
  static final int MAX_REDIRECTS = 5;
  private static final Pattern PLACEHOLDER = Pattern.compile("vaultenv_[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The value behind a placeholder, with where it may go; the value is a copy to destroy. */
  record Binding(CredentialKind.EnvironmentVariable kind, Secret value) {}

  private final Map<String, String> byName = new ConcurrentHashMap<>();
  private final Map<String, String> byPlaceholder = new ConcurrentHashMap<>();

  /** The placeholder of {@code secretName} in this session, made on first use. */
  String placeholder(String secretName) {
    return byName.computeIfAbsent(secretName, name -> {
      byte[] random = new byte[16];
      RANDOM.nextBytes(random);
      String p = "vaultenv_" + HexFormat.of().formatHex(random);
      byPlaceholder.put(p, name);
      return p;
    });
  }

  /**
   * {@code request} with every known placeholder replaced where its credential allows.
   *
   * @param lookup the current credential of a secret name (live, first vault wins), or empty
   */
  HttpRequest substitute(HttpRequest request, Function<String, Optional<Binding>> lookup) {
    byte[] body = readBody(request);
    return substitute(request, body, lookup);
  }

  private HttpRequest substitute(HttpRequest request, byte[] body,
      Function<String, Optional<Binding>> lookup) {
    String host = host(request.uri());
    Map<String, Binding> bindings = new LinkedHashMap<>();
    try {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      boolean headersChanged = false;
      for (Map.Entry<String, List<String>> h : request.headers().map().entrySet()) {
        List<String> values = new ArrayList<>();
        for (String v : h.getValue()) {
          String replaced = replace(v, host, true, bindings, lookup);
          headersChanged |= !replaced.equals(v);
          values.add(replaced);
        }
        headers.put(h.getKey(), values);
      }
      byte[] newBody = body;
      if (body != null && body.length > 0) {
        // Placeholders are ASCII, so they are found the same in any ASCII-compatible encoding.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String replaced = replace(text, host, false, bindings, lookup);
        if (!replaced.equals(text)) {
          newBody = replaced.getBytes(StandardCharsets.ISO_8859_1);
        }
      }
      if (!headersChanged && body == null) {
        return request;
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(request, (n, v) -> false);
      headers.forEach((name, values) -> values.forEach(v -> {
        try {
          b.header(name, v);
        } catch (IllegalArgumentException e) {
          // The client's message quotes the value, which may now hold a secret: never pass it on.
          throw VaultException.invalidRequest("Header '" + name + "' has a value the HTTP client "
              + "refuses.", "request");
        }
      }));
      if (body != null) {
        b.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(newBody));
      }
      return b.build();
    } finally {
      bindings.values().forEach(x -> {
        if (x != null) {
          x.value().destroy();
        }
      });
    }
  }

  /**
   * {@code text} with each placeholder replaced where its credential allows it here: a header
   * value as it is, or a body read as Latin-1 (bytes one to one) into which a value goes as its
   * UTF-8 bytes.
   */
  private String replace(String text, String host, boolean inHeader, Map<String, Binding> bindings,
      Function<String, Optional<Binding>> lookup) {
    Matcher m = PLACEHOLDER.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    int last = 0;
    do {
      out.append(text, last, m.start());
      Binding b = binding(m.group(), bindings, lookup);
      boolean allowed = b != null && allows(b.kind().networking(), host)
          && (inHeader ? b.kind().injectionLocation().header() : b.kind().injectionLocation().body());
      if (!allowed) {
        out.append(m.group());
      } else if (!inHeader) {
        out.append(new String(b.value().reveal().getBytes(StandardCharsets.UTF_8),
            StandardCharsets.ISO_8859_1));
      } else if (CredentialRules.isHeaderSafe(b.value())) {
        out.append(b.value().reveal());
      } else {
        // Refused at create and update; a value stored before that rule existed stays out.
        throw VaultException.invalidRequest("The value of '" + b.kind().secretName()
            + "' cannot be sent in a header.", "request");
      }
      last = m.end();
    } while (m.find());
    return out.append(text, last, text.length()).toString();
  }

  private Binding binding(String placeholder, Map<String, Binding> bindings,
      Function<String, Optional<Binding>> lookup) {
    String name = byPlaceholder.get(placeholder);
    if (name == null) {
      return null; // not this session's: it stays as written
    }
    if (!bindings.containsKey(name)) {
      bindings.put(name, lookup.apply(name).orElse(null));
    }
    return bindings.get(name);
  }

  /** The request's host as compared: lower case, without a trailing dot. */
  static String host(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      return "";
    }
    host = host.toLowerCase(Locale.ROOT);
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  /**
   * Whether {@code networking} lets a value go to {@code host}: an exact name or IPv4 address, or
   * a name strictly below a {@code *.} wildcard's domain (not the domain itself, and never a name
   * that merely ends with the same characters).
   */
  static boolean allows(Networking networking, String host) {
    if (networking instanceof Networking.Unrestricted) {
      return !host.isEmpty();
    }
    for (String entry : ((Networking.Limited) networking).allowedHosts()) {
      String e = entry.toLowerCase(Locale.ROOT);
      if (e.startsWith("*.")) {
        String domain = e.substring(1); // ".example.com"
        if (host.endsWith(domain) && host.length() > domain.length()) {
          return true;
        }
      } else if (host.equals(e)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sends {@code request} with substitution decided afresh at every hop: a redirect is followed
   * here (the client must not follow it itself), each hop from the request of the hop before it
   * with placeholders as the caller wrote them, so a redirect to a host the credential does not
   * allow carries the placeholder, not the value.
   */
  <T> HttpResponse<T> send(HttpClient client, HttpRequest request,
      HttpResponse.BodyHandler<T> handler, Function<String, Optional<Binding>> lookup)
      throws IOException, InterruptedException {
    if (client.followRedirects() != HttpClient.Redirect.NEVER) {
      throw VaultException.invalidRequest("The HttpClient follows redirects itself, which would "
          + "carry substituted values to the redirect target; build it with "
          + "HttpClient.Redirect.NEVER and let the session follow redirects.", "client");
    }
    byte[] body = readBody(request);
    HttpRequest current = request;
    for (int hop = 0; ; hop++) {
      HttpResponse<T> response = client.send(substitute(current, body, lookup), handler);
      Optional<URI> next = redirect(response, current.uri());
      if (next.isEmpty() || hop == MAX_REDIRECTS) {
        return response;
      }
      int status = response.statusCode();
      boolean keepMethod = status == 307 || status == 308
          || (status == 301 || status == 302)
              && (current.method().equals("GET") || current.method().equals("HEAD"));
      // The caller's own credentials stay with the origin they were written for, as browsers and
      // curl do: a hop to another origin drops them, and they stay dropped for the rest of the
      // chain (placeholders stay, decided per host). Each hop is built from the one before, so a
      // method changed to GET by a 303 stays GET through a later 307, as HttpClient's own
      // redirect policy keeps it.
      boolean sameOrigin = sameOrigin(request.uri(), next.get());
      HttpRequest.Builder b = HttpRequest.newBuilder(current,
          (n, v) -> sameOrigin || !CREDENTIAL_HEADERS.contains(n.toLowerCase(Locale.ROOT)))
          .uri(next.get());
      if (!keepMethod) {
        b.method("GET", HttpRequest.BodyPublishers.noBody());
        body = null;
      }
      current = b.build();
    }
  }

  private static final java.util.Set<String> CREDENTIAL_HEADERS =
      java.util.Set.of("authorization", "cookie", "proxy-authorization");

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && host(a).equals(host(b))
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private static <T> Optional<URI> redirect(HttpResponse<T> response, URI from) {
    int s = response.statusCode();
    if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
      return Optional.empty();
    }
    Optional<String> location = response.headers().firstValue("Location");
    if (location.isEmpty()) {
      return Optional.empty();
    }
    URI to;
    try {
      to = from.resolve(location.get());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
    // As HttpClient.Redirect.NORMAL: never from https down to http.
    if (!scheme.equals("http") && !scheme.equals("https")
        || from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
      return Optional.empty();
    }
    return Optional.of(to);
  }

  /** The request body, read whole, or null when it has none. */
  static byte[] readBody(HttpRequest request) {
    Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
    if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
      return null;
    }
    if (publisher.get().contentLength() > MAX_BODY) {
      throw tooLarge();
    }
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    publisher.get().subscribe(new Flow.Subscriber<>() {
      private final ByteArrayOutputStream out = new ByteArrayOutputStream();
      private Flow.Subscription subscription;

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        if (out.size() + item.remaining() > MAX_BODY) {
          subscription.cancel();
          done.completeExceptionally(tooLarge());
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        out.writeBytes(chunk);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(out.toByteArray());
      }
    });
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof VaultException v) {
        throw v;
      }
      throw VaultException.invalidRequest("The request body could not be read for substitution ("
          + e.getCause().getClass().getSimpleName() + ").", "body");
    } catch (TimeoutException e) {
      throw VaultException.invalidRequest(
          "The request body did not finish within 30 s, so it could not be substituted.", "body");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw VaultException.api("Interrupted while reading the request body.", null);
    }
  }

  private static VaultException tooLarge() {
    return VaultException.invalidRequest("The request body is larger than " + MAX_BODY
        + " bytes, the most a session substitutes placeholders in.", "body");
  }
}
