package dev.vaultengine.internal;

import dev.vaultengine.Credential;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.Explanation;
import dev.vaultengine.Explanation.Difference;
import dev.vaultengine.ListRequest;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.RefreshProblem;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultSession;
import dev.vaultengine.internal.cache.BoundedCache;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.ListQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A session: an ordered list of vault ids, resolved against the store at every call (live), with
 * at most one store read per resolve and no KMS call. When the store reports a change count (see
 * {@link dev.vaultengine.spi.VaultStore#changeCount()}), a repeated resolve of the same URL with
 * nothing written in between is answered from the last answer, without a store read.
 */
final class StoreSession implements VaultSession {
  /** URLs remembered per session: a host talks to a handful of MCP servers. */
  private static final int REMEMBERED_URLS = 64;

  /**
   * The last answer for a URL as of a change count: no row, or the row with its token as shared
   * by the engine's token cache (never a private copy, so no secret outlives the engine's cache).
   */
  private record Answer(String url, long changeCount, CredentialRow row, Secret token,
      long dueAtMillis, long dueEpoch) {}

  private final Engine engine;
  private final String accountId;
  private final List<String> vaultIds;
  /** Past {@link #REMEMBERED_URLS}, one arbitrary URL is forgotten per new one. */
  private final BoundedCache<String, Answer> answers = new BoundedCache<>(REMEMBERED_URLS);
  /**
   * The answer remembered last (after a store read), whatever its URL: a host that resolves one
   * MCP server again and again finds it here without hashing the URL into {@link #answers}
   * (in memory, a resolve of 30 ns became 21 ns; docs/decisions.md, session 11). A plain field,
   * written only when the store is read or an answer moves: an Answer is immutable (final
   * fields), so a thread that reads an older one checks it against the change count like any
   * other and, at worst, misses and looks in the map.
   */
  private Answer recent;
  private final Placeholders placeholders = new Placeholders();
  /**
   * The version (updated_at) of each credential this session has disclosed: the audit trail
   * records a credential's first disclosure in the session and the first after it changed, so a
   * resolve answered again from memory writes nothing.
   */
  private final Map<String, java.time.Instant> disclosed =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final String actor;

  StoreSession(Engine engine, String accountId, String actor, List<String> vaultIds) {
    this.engine = engine;
    this.accountId = accountId;
    this.actor = actor;
    this.vaultIds = vaultIds;
  }

  @Override
  public List<String> vaultIds() {
    return vaultIds;
  }

  @Override
  public Optional<ResolvedCredential> resolve(String mcpServerUrl) {
    long changeCount = engine.store.changeCount();
    if (changeCount >= 0 && mcpServerUrl != null) {
      Answer last = recent;
      if (last == null || !last.url().equals(mcpServerUrl)) {
        last = answers.get(mcpServerUrl);
      }
      if (last != null && last.changeCount() != changeCount && engine.ownWrites.untouched(
          last.changeCount(), changeCount, last.row() == null ? null : last.row().id())) {
        // Only this engine's own writes of other credentials (refreshes) happened since.
        last = new Answer(mcpServerUrl, changeCount, last.row(), last.token(),
            last.dueAtMillis(), last.dueEpoch());
        keep(last);
      }
      if (last != null && last.changeCount() == changeCount
          && (last = notDue(mcpServerUrl, last)) != null) {
        if (last.row() == null) {
          return Optional.empty();
        }
        Secret token = TokenCache.copyOf(last.token());
        if (token != null) { // else the engine's cache destroyed it meanwhile: read the store
          return Optional.of(resolvedWith(last.row(), token, null));
        }
      }
    }
    return resolveFromStore(mcpServerUrl, changeCount);
  }

  private Optional<ResolvedCredential> resolveFromStore(String mcpServerUrl, long changeCount) {
    String key = engine.urlKey(mcpServerUrl);
    CredentialRow first = firstInSessionOrder(
        engine.store.findActiveCredentials(accountId, vaultIds, key));
    if (first == null) {
      remember(mcpServerUrl,
          new Answer(mcpServerUrl, changeCount, null, null, Long.MAX_VALUE, 0));
      return Optional.empty();
    }
    RefreshProblem problem = null;
    for (int attempt = 0; first != null && first.kind() instanceof CredentialKind.McpOAuth;
        attempt++) {
      Refreshes.Fresh fresh = engine.refreshes.freshen(first, Refreshes.Why.DUE); // first if due
      if (!fresh.gone()) {
        first = fresh.row();
        problem = fresh.problem();
        break;
      }
      // Archived or deleted while it was being refreshed: never serve it; look again (another
      // vault of the session may hold the URL now), once.
      first = attempt == 0 ? firstInSessionOrder(
          engine.store.findActiveCredentials(accountId, vaultIds, key)) : null;
    }
    if (first == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(resolved(first, mcpServerUrl, changeCount, problem));
    } catch (VaultException e) {
      // The row may have been re-encrypted (and its old key retired) between our read and the
      // decrypt: read once more. A row that is truly damaged fails again, with its own name.
      CredentialRow again = firstInSessionOrder(
          engine.store.findActiveCredentials(accountId, vaultIds, key));
      if (again == null) {
        return Optional.empty();
      }
      if (again.id().equals(first.id()) && again.token().equals(first.token())) {
        throw e;
      }
      return Optional.of(resolved(again, mcpServerUrl, changeCount, null));
    }
  }

  /**
   * The remembered answer to serve if it is not yet due for refresh, else null: always for a
   * static_bearer answer, and for an mcp_oauth one without a clock read while the due timer's
   * epoch has not moved (past it, the answer remembered again at the new epoch).
   */
  private Answer notDue(String url, Answer a) {
    if (a.dueAtMillis() == Long.MAX_VALUE || engine.dueTimer.stillCurrent(a.dueEpoch())) {
      return a;
    }
    long epoch = engine.dueTimer.epoch(); // before watch: see DueTimer
    if (engine.clock.millis() >= a.dueAtMillis()) {
      return null;
    }
    if (epoch == a.dueEpoch()) {
      return a;
    }
    // The timer moved on: remember the answer at the new epoch.
    engine.dueTimer.watch(a.dueAtMillis());
    Answer moved = new Answer(url, a.changeCount(), a.row(), a.token(), a.dueAtMillis(), epoch);
    keep(moved);
    return moved;
  }

  private CredentialRow firstInSessionOrder(List<CredentialRow> rows) {
    if (rows.size() <= 1) {
      return rows.isEmpty() ? null : rows.get(0);
    }
    for (String vaultId : vaultIds) {
      for (CredentialRow r : rows) {
        if (r.vaultId().equals(vaultId)) {
          return r;
        }
      }
    }
    return null;
  }

  private ResolvedCredential resolved(CredentialRow c, String url, long changeCount,
      RefreshProblem problem) {
    disclose(c);
    Secret shared = engine.tokens.shared(c.id(), c.token());
    Secret token = TokenCache.copyOf(shared);
    if (token == null) {
      token = engine.keys.decrypt(c);
      engine.tokens.put(c.id(), c.vaultId(), c.token(), token);
      shared = engine.tokens.shared(c.id(), c.token());
    }
    // Null when the engine's token cache is off: nothing to remember then. A token with a
    // refresh problem is not remembered either: the next resolve decides again (backoff-bounded).
    if (shared != null && problem == null) {
      long dueAt = engine.refreshes.dueAtMillis(c);
      long epoch = engine.dueTimer.epoch(); // before watch: see DueTimer
      engine.dueTimer.watch(dueAt);
      remember(url, new Answer(url, changeCount, c, shared, dueAt, epoch));
    }
    return resolvedWith(c, token, problem);
  }

  private static ResolvedCredential resolvedWith(CredentialRow c, Secret token,
      RefreshProblem problem) {
    Optional<java.time.Instant> expiresAt = c.kind() instanceof CredentialKind.McpOAuth o
        ? o.expiresAt() : Optional.empty();
    return new ResolvedCredential(c.vaultId(), c.id(), c.mcpServerUrl(), c.protocol(), token,
        c.type(), expiresAt, Optional.ofNullable(problem));
  }

  private void remember(String url, Answer answer) {
    if (answer.changeCount() < 0) {
      return;
    }
    answers.put(url, answer);
    recent = answer;
  }

  /**
   * Keeps a remembered answer moved to a new change count or timer epoch, in the map and, when it
   * is the URL of {@link #recent}, there too; a URL served from the map does not become recent:
   * the hot path writes no shared field, so threads resolving one session stay read-only.
   */
  private void keep(Answer moved) {
    answers.put(moved.url(), moved);
    Answer r = recent;
    if (r != null && r.url().equals(moved.url())) {
      recent = moved;
    }
  }

  @Override
  public Optional<ResolvedCredential> resolveAfterRejection(String mcpServerUrl,
      ResolvedCredential rejected) {
    if (rejected == null) {
      throw VaultException.invalidRequest("The rejected credential is required.", "rejected");
    }
    String key = engine.urlKey(mcpServerUrl);
    CredentialRow row = firstInSessionOrder(
        engine.store.findActiveCredentials(accountId, vaultIds, key));
    if (row == null) {
      return Optional.empty();
    }
    if (!row.id().equals(rejected.credentialId())
        || !(row.kind() instanceof CredentialKind.McpOAuth)) {
      return resolve(mcpServerUrl); // another credential now, or nothing to refresh
    }
    Secret stored = engine.keys.decrypt(row);
    boolean same;
    try {
      same = !rejected.accessToken().isDestroyed() && stored.sameAs(rejected.accessToken());
    } finally {
      stored.destroy();
    }
    if (!same) {
      return resolve(mcpServerUrl); // refreshed or updated since it was served
    }
    Refreshes.Fresh fresh = engine.refreshes.freshen(row, Refreshes.Why.REJECTED);
    if (fresh.gone()) {
      return resolve(mcpServerUrl);
    }
    return Optional.of(resolved(fresh.row(), mcpServerUrl, -1, fresh.problem()));
  }

  @Override
  public Explanation explain(String mcpServerUrl) {
    McpServerUrl url = McpServerUrl.parse(mcpServerUrl);
    Parts wanted = Parts.of(url.normalized());
    Optional<Credential> match = Optional.empty();
    RefreshProblem problem = null;
    List<Explanation.NearMiss> misses = new ArrayList<>();
    for (String vaultId : vaultIds) {
      for (CredentialRow c : allCredentials(vaultId)) {
        boolean active = c.status() == Status.ACTIVE;
        if (!c.type().isMcp()) {
          continue; // an environment variable is never an MCP connection's credential
        }
        if (c.identityKey().equals(url.normalized()) && active) {
          if (match.isEmpty()) {
            match = Optional.of(AccountVaultService.toCredential(c));
            problem = engine.refreshes.diagnose(c);
          }
          continue;
        }
        List<Difference> differences = wanted.differencesTo(Parts.of(c.identityKey()));
        if (differences == null) {
          continue; // another host: not a near miss
        }
        if (!active) {
          differences.add(Difference.ARCHIVED);
        }
        misses.add(new Explanation.NearMiss(c.vaultId(), c.id(), c.mcpServerUrl(),
            List.copyOf(differences)));
      }
    }
    return new Explanation(url, vaultIds, match, List.copyOf(misses),
        Optional.ofNullable(problem));
  }

  @Override
  public Map<String, String> environment() {
    Map<String, String> out = new TreeMap<>();
    for (String vaultId : vaultIds) {
      for (CredentialRow c : allCredentials(vaultId)) {
        if (c.status() == Status.ACTIVE
            && c.kind() instanceof CredentialKind.EnvironmentVariable e) {
          out.putIfAbsent(e.secretName(), placeholders.placeholder(e.secretName()));
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public HttpRequest substitute(HttpRequest request) {
    if (request == null) {
      throw VaultException.invalidRequest("The request is required.", "request");
    }
    return placeholders.substitute(request, this::binding);
  }

  @Override
  public <T> HttpResponse<T> send(HttpClient client, HttpRequest request,
      HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
    if (client == null || request == null || handler == null) {
      throw VaultException.invalidRequest("A client, a request and a body handler are required.",
          client == null ? "client" : request == null ? "request" : "handler");
    }
    return placeholders.send(client, request, handler, this::binding);
  }

  /** The live value of a secret name in this session (first vault wins), as a copy to destroy. */
  private Optional<Placeholders.Binding> binding(String secretName) {
    CredentialRow row = firstInSessionOrder(engine.store.findActiveCredentials(accountId, vaultIds,
        CredentialRow.environmentKey(secretName)));
    if (row == null || !(row.kind() instanceof CredentialKind.EnvironmentVariable e)) {
      return Optional.empty();
    }
    disclose(row);
    return Optional.of(new Placeholders.Binding(e, engine.keys.decrypt(row)));
  }

  /**
   * Records the first disclosure of this version of {@code c} in this session. In fail-closed
   * mode a failure to record it fails the resolve before any secret is decrypted.
   */
  private void disclose(CredentialRow c) {
    if (!engine.journals.auditing()) {
      return;
    }
    java.time.Instant before = disclosed.put(c.id(), c.updatedAt());
    if (c.updatedAt().equals(before)) {
      return;
    }
    try {
      engine.appendLog(engine.journals.op(accountId, actor, "credential.disclose", c.vaultId(),
          c.id()).at(engine.now()).detail(before == null ? "first in session" : "changed"));
    } catch (VaultException e) {
      disclosed.remove(c.id(), c.updatedAt());
      throw e;
    }
  }

  private List<CredentialRow> allCredentials(String vaultId) {
    List<CredentialRow> all = new ArrayList<>();
    String after = null;
    while (true) {
      ListQuery q = Requests.list(ListRequest.builder().limit(100).afterId(after)
          .includeArchived(true).build(), Ids.CREDENTIAL);
      List<CredentialRow> page = engine.store.listCredentials(accountId, vaultId, q);
      all.addAll(page.subList(0, Math.min(page.size(), 100)));
      if (page.size() <= 100) {
        return all;
      }
      after = page.get(99).id();
    }
  }

  /** A normalized URL taken apart for comparison. */
  private record Parts(String scheme, String host, String port, String path, String query) {
    static Parts of(String normalized) {
      URI u = URI.create(normalized);
      return new Parts(u.getScheme(), u.getHost().toLowerCase(Locale.ROOT),
          u.getPort() == -1 ? "" : Integer.toString(u.getPort()), u.getRawPath(),
          u.getRawQuery() == null ? "" : u.getRawQuery());
    }

    /** The differences to {@code other}, or null when it is another host. */
    List<Difference> differencesTo(Parts other) {
      if (!host.equals(other.host)) {
        return null;
      }
      List<Difference> d = new ArrayList<>();
      if (!scheme.equals(other.scheme)) {
        d.add(Difference.SCHEME);
      }
      if (!port.equals(other.port)) {
        d.add(Difference.PORT);
      }
      if (!path.equals(other.path)) {
        if (strip(path).equals(strip(other.path))) {
          d.add(Difference.TRAILING_SLASH);
        } else if (path.equalsIgnoreCase(other.path)) {
          d.add(Difference.PATH_CASE);
        } else {
          d.add(Difference.PATH);
        }
      }
      if (!query.equals(other.query)) {
        d.add(Difference.QUERY);
      }
      return d;
    }

    private static String strip(String p) {
      return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
  }

  @Override
  public String toString() {
    return "VaultSession" + vaultIds;
  }
}
