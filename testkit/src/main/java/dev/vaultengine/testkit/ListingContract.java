package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Page;
import dev.vaultengine.Status;
import dev.vaultengine.Vault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Keyset pagination and filters, newest first, exactly as DESIGN.md "Listing".
 *
 * <p>One concern of {@link VaultStoreContract}, which runs it as its nested class
 * {@code Listing}; it runs alone for one store by its tag, {@code -Dtest=MyStoreContractTest
 * -Dgroups=listing}, or in a class of its own that extends it and returns the store's
 * {@link #fixture()}.
 */
@org.junit.jupiter.api.Tag("listing")
public abstract class ListingContract extends ContractBase {
  /** For a store's test class, or the nested concern of {@link VaultStoreContract}. */
  protected ListingContract() {}

  @Test
  void emptyListHasNullIds() {
    Page<Vault> page = vaults.listVaults(null);
    assertEquals(List.of(), page.data());
    assertNull(page.firstId());
    assertNull(page.lastId());
    assertFalse(page.hasMore());
  }

  @Test
  void defaultPageIsTwentyNewestFirst() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      clock.advance(Duration.ofSeconds(1));
      ids.add(createVault("v" + i, "https://a.example/mcp").vault().id());
    }
    Collections.reverse(ids);
    Page<Vault> first = vaults.listVaults(ListRequest.firstPage());
    assertEquals(ids.subList(0, 20), first.data().stream().map(Vault::id).toList());
    assertEquals(ids.get(0), first.firstId());
    assertEquals(ids.get(19), first.lastId());
    assertTrue(first.hasMore());
    Page<Vault> second = vaults.listVaults(ListRequest.builder().afterId(first.lastId()).build());
    assertEquals(ids.subList(20, 25), second.data().stream().map(Vault::id).toList());
    assertFalse(second.hasMore());
    Page<Vault> back = vaults.listVaults(ListRequest.builder().beforeId(second.firstId())
        .limit(3).build());
    assertEquals(ids.subList(17, 20), back.data().stream().map(Vault::id).toList(),
        "a before_id page holds the next newer records, still newest first");
    assertTrue(back.hasMore());
  }

  @Test
  void aCursorStaysValidWhenItsRecordIsDeleted() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(createVault("v" + i, "https://a.example/mcp").vault().id());
    }
    vaults.deleteVault(ids.get(2));
    Page<Vault> older = vaults.listVaults(ListRequest.builder().afterId(ids.get(2)).build());
    assertEquals(List.of(ids.get(1), ids.get(0)), older.data().stream().map(Vault::id).toList());
    Page<Vault> newer = vaults.listVaults(ListRequest.builder().beforeId(ids.get(2)).build());
    assertEquals(List.of(ids.get(4), ids.get(3)), newer.data().stream().map(Vault::id).toList());
  }

  @Test
  void nameFilterIsACaseInsensitiveLiteralSubstring() {
    String a = createVault("Team_50%\\Prod", "https://a.example/mcp").vault().id();
    createVault("TeamX50%\\Prod", "https://a.example/mcp"); // '_' must not be a wildcard
    createVault("Team_50abc\\Prod", "https://a.example/mcp"); // '%' must not be a wildcard
    createVault("Team_50%Prod", "https://a.example/mcp"); // '\' must not be an escape
    assertEquals(List.of(a), vaults.listVaults(ListRequest.builder().name("team_50%\\p").build())
        .data().stream().map(Vault::id).toList());
    assertEquals(4, vaults.listVaults(ListRequest.builder().name("TEAM").build()).data().size());
    assertEquals(0, vaults.listVaults(ListRequest.builder().name("'; DROP TABLE x; --").build())
        .data().size());
  }

  @Test
  void credentialNameFilterSearchesTheUrl() {
    String id = createVault("v", "https://mcp.github.com/sse", "https://jira.example.com/mcp/sse",
        "https://x.example/a_b%25c").vault().id();
    List<Credential> github = vaults.listCredentials(id, ListRequest.builder().name("GITHUB")
        .build()).data();
    assertEquals(List.of("https://mcp.github.com/sse"),
        github.stream().map(Credential::mcpServerUrl).toList());
    assertEquals(2, vaults.listCredentials(id, ListRequest.builder().name("/sse").build())
        .data().size());
    assertEquals(1, vaults.listCredentials(id, ListRequest.builder().name("a_b%").build())
        .data().size());
    assertEquals(0, vaults.listCredentials(id, ListRequest.builder().name("a%b").build())
        .data().size());
  }

  @Test
  void stringsAreStoredAndReturnedExactly() {
    List<String> names = List.of("quote ' \" `", "100% _done_ \\ back\\slash", "emoji \uD83D\uDD11\uD83E\uDD16",
        "\u05E9\u05DC\u05D5\u05DD rtl \u0645\u0631\u062D\u0628\u0627", "  padded  ", "\u00e9\u0301 combining",
        "\uD83D\uDD11".repeat(255));
    for (String name : names) {
      Vault v = vaults.createVault(CreateVaultRequest.builder().displayName(name)
          .putMetadata("k'\"%_\\", name.length() > 200 ? "v" : name)
          .addCredential(credential("https://example.com/p%20a_th?q='x'&r=%25")).build()).vault();
      assertEquals(name, vaults.getVault(v.id()).displayName());
      assertEquals(v.metadata(), vaults.getVault(v.id()).metadata());
      assertEquals("https://example.com/p%20a_th?q='x'&r=%25",
          vaults.listCredentials(v.id(), null).data().get(0).mcpServerUrl());
    }
  }

  @Test
  void createdAtFiltersAreInclusive() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clock.set(T0.plusSeconds(i));
      ids.add(createVault("v" + i, "https://a.example/mcp").vault().id());
    }
    Page<Vault> page = vaults.listVaults(ListRequest.builder().createdAtGte(T0.plusSeconds(1))
        .createdAtLte(T0.plusSeconds(3)).build());
    assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1)),
        page.data().stream().map(Vault::id).toList());
  }

  /**
   * Bounds between two microseconds: times are kept to the microsecond, so a lower bound 1 ns
   * after a record's time excludes it and an upper bound 999 ns after includes it, on every store
   * alike (an SQL store once rounded the lower bound down and returned the record).
   */
  @Test
  void createdAtBoundsBetweenTwoMicrosecondsAgreeWithTheInstant() {
    Instant at = Instant.parse("2026-03-01T10:00:00.000005Z");
    clock.set(at);
    CreatedVault made = createVault("micro", "https://a.example/mcp");
    String id = made.vault().id();
    assertEquals(at, made.vault().createdAt());
    java.util.function.Function<ListRequest.Builder, List<String>> vaultsWith =
        b -> vaults.listVaults(b.build()).data().stream().map(Vault::id).toList();
    assertEquals(List.of(id), vaultsWith.apply(ListRequest.builder().createdAtGte(at)));
    assertEquals(List.of(), vaultsWith.apply(ListRequest.builder().createdAtGte(at.plusNanos(1))));
    assertEquals(List.of(), vaultsWith.apply(ListRequest.builder().createdAtGte(at.plusNanos(999))));
    assertEquals(List.of(id), vaultsWith.apply(ListRequest.builder().createdAtLte(at)));
    assertEquals(List.of(id), vaultsWith.apply(ListRequest.builder().createdAtLte(at.plusNanos(999))));
    assertEquals(List.of(), vaultsWith.apply(ListRequest.builder().createdAtLte(at.minusNanos(1))));
    String credentialId = made.credentials().get(0).id();
    java.util.function.Function<ListRequest.Builder, List<String>> credentialsWith =
        b -> vaults.listCredentials(id, b.build()).data().stream().map(c -> c.id()).toList();
    assertEquals(List.of(credentialId),
        credentialsWith.apply(ListRequest.builder().createdAtGte(at)));
    assertEquals(List.of(),
        credentialsWith.apply(ListRequest.builder().createdAtGte(at.plusNanos(1))));
    assertEquals(List.of(credentialId),
        credentialsWith.apply(ListRequest.builder().createdAtLte(at.plusNanos(999))));
    assertEquals(List.of(),
        credentialsWith.apply(ListRequest.builder().createdAtLte(at.minusNanos(1))));
  }

  /** The model's view: every vault created, with what the filters look at. */
  private record Made(String id, String name, Instant createdAt, boolean archived) {}

  @Test
  void walkingAThousandVaultsVisitsEachExactlyOnceWithEveryFilter() throws Exception {
    List<Made> made = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      clock.set(T0.plusSeconds(i));
      String name = switch (i % 10) {
        case 0 -> "Prod_50%\\" + i;
        case 5 -> "ProdX50%\\" + i;
        case 3 -> "prod_50abc" + i;
        default -> "dev-" + i;
      };
      String id = createVault(name, "https://a.example/mcp").vault().id();
      boolean archived = i % 7 == 0;
      if (archived) {
        vaults.archiveVault(id);
      }
      made.add(new Made(id, name, T0.plusSeconds(i), archived));
    }
    Collections.reverse(made); // newest first

    record Filter(String name, UnaryOperator<ListRequest.Builder> apply, Predicate<Made> keeps) {}
    List<Filter> filters = List.of(
        new Filter("none", b -> b, m -> !m.archived()),
        new Filter("include_archived", b -> b.includeArchived(true), m -> true),
        new Filter("name", b -> b.name("PROD_50%\\"),
            m -> !m.archived() && m.name().toLowerCase(Locale.ROOT).contains("prod_50%\\")),
        new Filter("created_at", b -> b.createdAtGte(T0.plusSeconds(100))
            .createdAtLte(T0.plusSeconds(899)).includeArchived(true),
            m -> !m.createdAt().isBefore(T0.plusSeconds(100))
                && !m.createdAt().isAfter(T0.plusSeconds(899))));
    for (Filter f : filters) {
      List<String> expected = made.stream().filter(f.keeps()).map(Made::id).toList();
      List<String> forward = walkForward(f.apply(), 37);
      assertEquals(expected, forward, "forward walk with filter " + f.name());
      List<String> backward = walkBackward(f.apply(), expected.get(expected.size() - 1), 41);
      assertEquals(expected.subList(0, expected.size() - 1), backward,
          "backward walk with filter " + f.name());
    }

    // Again while another thread keeps creating vaults: no duplicate, no gap, order kept.
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger extra = new AtomicInteger();
    Thread writer = new Thread(() -> {
      while (!stop.get()) {
        createVault("Prod_50%\\ new " + extra.incrementAndGet(), "https://a.example/mcp");
      }
    });
    writer.start();
    try {
      for (Filter f : filters) {
        List<String> expected = made.stream().filter(f.keeps()).map(Made::id).toList();
        List<String> forward = walkForward(f.apply(), 29);
        checkOrderedSuperset(forward, expected, true, f.name());
        List<String> backward = walkBackward(f.apply(), expected.get(expected.size() - 1), 31);
        checkOrderedSuperset(backward, expected.subList(0, expected.size() - 1), true, f.name());
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    assertTrue(extra.get() > 0, "the writer ran");
  }

  private static void checkOrderedSuperset(List<String> walked, List<String> expected,
      boolean newestFirst, String filter) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < walked.size(); i++) {
      assertTrue(seen.add(walked.get(i)), "duplicate " + walked.get(i) + " with " + filter);
      if (i > 0) {
        assertTrue(walked.get(i - 1).compareTo(walked.get(i)) > 0 == newestFirst,
            "order broken with " + filter);
      }
    }
    assertTrue(seen.containsAll(expected), "a record was skipped with " + filter);
    // New records are newer than all old ones, so the old ones form the tail, in order.
    assertEquals(expected, walked.subList(walked.size() - expected.size(), walked.size()),
        "gap with " + filter);
  }

  /** Pages older and older with after_id; ids newest first. */
  private List<String> walkForward(UnaryOperator<ListRequest.Builder> filter, int limit) {
    List<String> out = new ArrayList<>();
    String after = null;
    while (true) {
      Page<Vault> page = vaults.listVaults(filter.apply(ListRequest.builder())
          .limit(limit).afterId(after).build());
      page.data().forEach(v -> out.add(v.id()));
      if (!page.hasMore()) {
        return out;
      }
      after = page.lastId();
    }
  }

  /** Pages newer and newer with before_id from {@code start}; ids newest first overall. */
  private List<String> walkBackward(UnaryOperator<ListRequest.Builder> filter, String start,
      int limit) {
    List<List<String>> pages = new ArrayList<>();
    String before = start;
    while (true) {
      Page<Vault> page = vaults.listVaults(filter.apply(ListRequest.builder())
          .limit(limit).beforeId(before).build());
      pages.add(page.data().stream().map(Vault::id).toList());
      if (!page.hasMore()) {
        break;
      }
      before = page.firstId();
    }
    Collections.reverse(pages);
    List<String> out = new ArrayList<>();
    pages.forEach(out::addAll);
    return out;
  }

  @Test
  void archivedStatusIsShownInLists() {
    String id = createVault("v", "https://a.example/mcp").vault().id();
    vaults.archiveVault(id);
    Vault listed = vaults.listVaults(ListRequest.builder().includeArchived(true).build())
        .data().get(0);
    assertEquals(Status.ARCHIVED, listed.status());
    assertTrue(listed.archivedAt().isPresent());
  }
}
