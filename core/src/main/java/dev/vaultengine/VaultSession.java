package dev.vaultengine;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The vaults a session references, in priority order. Resolution is live: archive, delete and
 * rotation take effect at the next call. Thread-safe.
 */
public interface VaultSession {

  /** The session's vault ids, in priority order. */
  List<String> vaultIds();

  /**
   * The credential to inject when the agent connects to {@code mcpServerUrl}: the active
   * credential for the normalized URL in the first vault (in session order) that has one. Empty
   * means the connection goes unauthenticated, which is not an error.
   *
   * @throws VaultException.InvalidRequest for a malformed URL
   * @throws VaultException.Api naming the credential when its stored token no longer decrypts
   */
  Optional<ResolvedCredential> resolve(String mcpServerUrl);

  /**
   * What to send after the MCP server refused {@code rejected} (a 401): when the session's
   * credential for the URL still holds that very token and is an {@code mcp_oauth} credential with
   * a refresh grant, it is refreshed now (once across threads and hosts, and not while a failed
   * refresh is backing off); otherwise this is {@link #resolve}. An MCP client's authorization
   * error handler calls it once, then retries the request once with the answer.
   *
   * @throws VaultException.InvalidRequest for a malformed URL
   */
  Optional<ResolvedCredential> resolveAfterRejection(String mcpServerUrl,
      ResolvedCredential rejected);

  /**
   * Why {@code mcpServerUrl} resolves as it does: the normalized URL, the vaults searched, the
   * match, and near misses (same host, other scheme, port, path, trailing slash, path case or
   * query; archived credentials). Walks the session's credentials, so it is a diagnostic, not a
   * hot path. Holds no secret.
   *
   * @throws VaultException.InvalidRequest for a malformed URL
   */
  Explanation explain(String mcpServerUrl);

  /**
   * The session's environment: each {@code environment_variable} secret name of its vaults (the
   * first vault in session order wins, as for URLs) mapped to an opaque placeholder, never the
   * value. A placeholder is random, made per session and name, and means something only to this
   * session's {@link #substitute} and {@link #send}. Walks the session's credentials: call it once
   * when a tool's environment is set up, not per request.
   */
  Map<String, String> environment();

  /**
   * {@code request} with this session's placeholders replaced by their current values where the
   * credential allows it: only when the request's host is allowed by its {@code networking}, and
   * only in headers and/or the body as its {@code injection_location} says. Any other placeholder
   * stays as written. A request with a body is returned with the body read into memory (at most
   * 16 MiB). Do not hand the result to a client that follows redirects: use {@link #send}.
   *
   * @throws VaultException.InvalidRequest when the body cannot be read or is too large
   * @throws VaultException.Api naming the credential when a stored value no longer decrypts
   */
  HttpRequest substitute(HttpRequest request);

  /**
   * Sends {@code request} through {@code client} with substitution as {@link #substitute},
   * following redirects here (up to 5, never from https to http) and deciding substitution afresh
   * for each hop's host, from the request as written: a redirect to a host the credential does not
   * allow receives the placeholder, never the value.
   *
   * @throws VaultException.InvalidRequest when {@code client} follows redirects itself (build it
   *     with {@link HttpClient.Redirect#NEVER})
   * @throws IOException as {@link HttpClient#send}
   * @throws InterruptedException as {@link HttpClient#send}
   */
  <T> HttpResponse<T> send(HttpClient client, HttpRequest request,
      HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException;
}
