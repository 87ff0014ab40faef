package dev.vaultengine.testkit;

import dev.vaultengine.Credential;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Page;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the threads of a stress run share while they race the same {@link ModelOperation}s on one
 * engine: no reference model (threads interleave, so no single prediction holds), only what was
 * written, so that the invariants can be checked on the quiet store afterwards. Every collection
 * is safe for concurrent use.
 */
final class StressRun {
  /** The account every thread works in. */
  final VaultService service;
  /** Every vault created, in no particular order. */
  final List<String> vaultIds = new CopyOnWriteArrayList<>();
  /** Credential id to the primary secret written with it. */
  final Map<String, String> tokens = new ConcurrentHashMap<>();
  /** Credentials deleted; none may reappear. */
  final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger secrets = new AtomicInteger();

  /** Shared state over {@code service}. */
  StressRun(VaultService service) {
    this.service = service;
  }

  /** A new secret of the kind {@code prefix} names, distinct across threads. */
  String nextSecret(String prefix) {
    return prefix + "_stress_" + secrets.getAndIncrement();
  }

  /** The time expiries are counted from: the engine's, the system clock. */
  Instant now() {
    return Instant.now();
  }

  /** The vault {@code ref} points at (modulo the number created); there is always one. */
  String vaultId(int ref) {
    return vaultIds.get(ref % vaultIds.size());
  }

  /** Records a credential created with {@code token}. */
  void created(Credential c, String token) {
    tokens.put(c.id(), token);
  }

  /**
   * One of the active credentials on the first page of the vault {@code ref} points at, chosen by
   * {@code ref}, or null when it has none: racing writers act on what they just listed.
   */
  Credential listedCredential(int ref) {
    Page<Credential> page = service.listCredentials(vaultId(ref), null);
    return page.data().isEmpty() ? null : page.data().get(ref % page.data().size());
  }

  /** Every vault of the account, walked page by page; fails if a walk returns one twice. */
  static List<Vault> walkVaults(VaultService vaults, int limit) {
    List<Vault> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String after = null;
    while (true) {
      Page<Vault> page = vaults.listVaults(ListRequest.builder().limit(limit).afterId(after)
          .build());
      for (Vault v : page.data()) {
        if (!seen.add(v.id())) {
          throw new AssertionError("a page walk returned a vault twice");
        }
        out.add(v);
      }
      if (!page.hasMore()) {
        return out;
      }
      after = page.lastId();
    }
  }
}
