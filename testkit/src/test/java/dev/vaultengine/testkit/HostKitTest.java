package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The host-facing kit: the extension, the generators and the assertions. */
class HostKitTest {
  @RegisterExtension
  static VaultEngineExtension vault = VaultEngineExtension.builder().account("acme")
      .startAt(Instant.parse("2026-05-18T08:00:00Z")).seed(7).build();

  @Test
  void theExtensionHandsOutAFreshVaultWithASettableClock(VaultService vaults, MutableClock clock,
      VaultEngine engine) {
    assertEquals("acme", vaults.accountId());
    assertEquals(List.of(), vaults.listVaults(null).data(), "fresh for each test");
    CreatedVault first = vaults.createVault(new RequestGenerators(1).vault());
    assertEquals(Instant.parse("2026-05-18T08:00:00Z"), first.vault().createdAt());
    clock.advance(Duration.ofHours(1));
    CreatedVault second = vaults.createVault(new RequestGenerators(2).vault());
    assertEquals(Instant.parse("2026-05-18T09:00:00Z"), second.vault().createdAt());
    assertEquals(2, engine.forAccount("acme").listVaults(null).data().size());
  }

  @Test
  void sameSeedSameRequests() {
    RequestGenerators a = new RequestGenerators(99);
    RequestGenerators b = new RequestGenerators(99);
    for (int i = 0; i < 50; i++) {
      CreateVaultRequest x = a.vault();
      CreateVaultRequest y = b.vault();
      assertEquals(x.displayName(), y.displayName());
      assertEquals(x.metadata(), y.metadata());
      assertEquals(x.credentials().size(), y.credentials().size());
      for (int c = 0; c < x.credentials().size(); c++) {
        assertEquals(x.credentials().get(c).mcpServerUrl(), y.credentials().get(c).mcpServerUrl());
        assertTrue(x.credentials().get(c).accessToken()
            .sameAs(y.credentials().get(c).accessToken()));
      }
    }
  }

  @Test
  void generatedValidRequestsSucceedAndInvalidOnesFailAsDeclared(VaultService vaults) {
    RequestGenerators gen = new RequestGenerators(2026);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(vaults.createVault(gen.vault()).vault().id());
      vaults.updateVault(ids.get(ids.size() - 1), gen.update());
      vaults.createCredential(ids.get(0), gen.credential());
    }
    List<Credential> before = vaults.listCredentials(ids.get(0), ListRequest.builder().limit(100)
        .build()).data();
    for (int i = 0; i < 300; i++) {
      RequestGenerators.Invalid<CreateVaultRequest> bad = gen.invalidVault();
      VaultException e = assertThrows(VaultException.class, () -> vaults.createVault(bad.request()),
          bad.what());
      assertEquals(bad.type(), e.type(), bad.what());
      assertEquals(bad.param(), e.param().orElse(null), bad.what());
      RequestGenerators.Invalid<dev.vaultengine.CreateCredentialRequest> badCred =
          gen.invalidCredential();
      VaultException ce = assertThrows(VaultException.class,
          () -> vaults.createCredential(ids.get(0), badCred.request()), badCred.what());
      assertEquals(badCred.param(), ce.param().orElse(null), badCred.what());
    }
    assertEquals(200, vaults.listVaults(ListRequest.builder().limit(100).build()).data().size()
        + vaults.listVaults(ListRequest.builder().limit(100).afterId(
            vaults.listVaults(ListRequest.builder().limit(100).build()).lastId()).build())
        .data().size());
    assertEquals(before, vaults.listCredentials(ids.get(0), ListRequest.builder().limit(100)
        .build()).data(), "invalid requests changed nothing");
  }

  @Test
  void generatorsCoverEveryKindAndUpdate(VaultService vaults) {
    RequestGenerators gen = new RequestGenerators(2027);
    java.util.Map<dev.vaultengine.CredentialType, Integer> kinds = new java.util.HashMap<>();
    List<Credential> created = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      created.addAll(vaults.createVault(gen.mixedVault()).credentials());
    }
    String vaultId = created.get(0).vaultId();
    for (int i = 0; i < 60; i++) {
      created.add(vaults.createCredential(vaultId, gen.anyCredential()));
    }
    created.forEach(c -> kinds.merge(c.type(), 1, Integer::sum));
    assertEquals(3, kinds.size(), "every kind is generated: " + kinds);
    int refreshGrants = 0;
    for (Credential c : created) {
      Credential now = c;
      for (int i = 0; i < 3; i++) {
        now = vaults.updateCredential(c.vaultId(), c.id(), gen.update(now));
        assertEquals(c.type(), now.type());
        assertEquals(c.id(), now.id());
      }
      if (now.kind() instanceof dev.vaultengine.CredentialKind.McpOAuth o
          && o.refresh().isPresent()) {
        refreshGrants++;
      }
      Credential before = vaults.getCredential(c.vaultId(), c.id());
      RequestGenerators.Invalid<dev.vaultengine.UpdateCredentialRequest> bad =
          gen.invalidUpdate(before);
      VaultException e = assertThrows(VaultException.class,
          () -> vaults.updateCredential(c.vaultId(), c.id(), bad.request()), bad.what());
      assertEquals(bad.type(), e.type(), bad.what());
      assertEquals(bad.param(), e.param().orElse(null), bad.what());
      assertEquals(before, vaults.getCredential(c.vaultId(), c.id()), bad.what());
    }
    assertTrue(refreshGrants > 0, "refresh grants are generated");
    List<Credential> all = vaults.listCredentials(vaultId, ListRequest.builder().limit(100)
        .build()).data();
    for (int i = 0; i < 200; i++) {
      RequestGenerators.Invalid<dev.vaultengine.CreateCredentialRequest> bad =
          gen.invalidKindCredential();
      VaultException e = assertThrows(VaultException.class,
          () -> vaults.createCredential(vaultId, bad.request()), bad.what());
      assertEquals(bad.type(), e.type(), bad.what());
      assertEquals(bad.param(), e.param().orElse(null), bad.what());
    }
    assertEquals(all, vaults.listCredentials(vaultId, ListRequest.builder().limit(100).build())
        .data(), "invalid requests changed nothing");

    RequestGenerators a = new RequestGenerators(5);
    RequestGenerators b = new RequestGenerators(5);
    for (int i = 0; i < 30; i++) {
      dev.vaultengine.CreateCredentialRequest x = a.anyCredential();
      dev.vaultengine.CreateCredentialRequest y = b.anyCredential();
      assertEquals(x.type(), y.type());
      assertEquals(x.mcpServerUrl(), y.mcpServerUrl());
      assertEquals(x.secretName(), y.secretName());
      assertEquals(x.networking(), y.networking());
    }
  }

  @Test
  void assertionFailuresNeverPrintATokenButSayWhatDiffered(VaultService vaults) {
    String token = "tok_do_not_print_me_123";
    String url = "https://a.example/mcp";
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(new RequestGenerators(3).credential(url, token)).build());
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    VaultAssertions.assertInjects(session, url, token);

    AssertionError wrong = assertThrows(AssertionError.class,
        () -> VaultAssertions.assertInjects(session, url, "tok_something_else"));
    assertFalse(wrong.getMessage().contains(token), wrong.getMessage());
    assertFalse(wrong.getMessage().contains("tok_something_else"), wrong.getMessage());
    assertTrue(wrong.getMessage().contains(v.credentials().get(0).id()), wrong.getMessage());

    AssertionError none = assertThrows(AssertionError.class,
        () -> VaultAssertions.assertInjects(session, url + "/", token));
    assertTrue(none.getMessage().contains("TRAILING_SLASH"), none.getMessage());

    AssertionError some = assertThrows(AssertionError.class,
        () -> VaultAssertions.assertInjectsNothing(session, url));
    assertFalse(some.getMessage().contains(token));
    Secret.of(token).destroy();
  }
}
