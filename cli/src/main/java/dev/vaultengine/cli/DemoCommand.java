package dev.vaultengine.cli;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialType;
import dev.vaultengine.Explanation;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Page;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code vault demo}: the whole story on a fresh directory, in plain words. */
@Command(name = "demo", description = "Tell the whole story on a fresh embedded database.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  @ParentCommand
  VaultCli root;

  private final SecureRandom random = new SecureRandom();
  private final List<String> tokens = new ArrayList<>();
  private PrintWriter out;

  private String token(String prefix) {
    StringBuilder b = new StringBuilder(prefix);
    for (int i = 0; i < 32; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    tokens.add(b.toString());
    return b.toString();
  }

  private CreateCredentialRequest credential(String url, Protocol protocol, String prefix) {
    return CreateCredentialRequest.builder().mcpServerUrl(url).protocol(protocol)
        .accessToken(token(prefix)).build();
  }

  private static String redacted(Secret s) {
    return "<token redacted, " + s.length() + " characters>";
  }

  @Override
  public Integer call() throws IOException {
    out = root.out();
    Path dir = freshDirectory();
    say("vault-engine demo: everything below runs in this process on the embedded default, a "
        + "SQLite file.");
    say("");
    say("Data directory: " + dir);
    say("  vault.db     the SQLite database, with its -wal and -shm files (ciphertext only; "
        + "owner-only)");
    say("  kek.json     the key-encryption key, created for its owner only");
    try (VaultEngine engine = root.openEngine(dir, false)) {
      VaultService vaults = engine.forAccount("demo");
      Credential github = vaultWithCredentials(vaults);
      pagination(vaults);
      firstVaultWins(vaults);
      rotationArchiveAndExplain(vaults, github);
      otherKinds(vaults, github.vaultId());
      eventsAndAudit(engine);
    }
    scan(dir);
    say("");
    say("Done. Look around with:  ./vault --data-dir " + dir + " --account demo vaults list "
        + "--output table");
    return 0;
  }

  /** The --data-dir given (it must be new or empty), or a fresh temporary directory. */
  private Path freshDirectory() throws IOException {
    Path dataDir = root.dataDirGiven();
    if (dataDir == null) {
      return Files.createTempDirectory("vault-demo-");
    }
    DataDirectory.prepare(dataDir); // a file or an impossible path is refused in plain words
    try (Stream<Path> entries = Files.list(dataDir)) {
      if (entries.findAny().isPresent()) {
        throw VaultException.invalidRequest(
            "Field 'data_dir' must be a new or empty directory for the demo.", "data_dir");
      }
    }
    return dataDir;
  }

  private Credential vaultWithCredentials(VaultService vaults) {
    say("");
    say("1. A vault with credentials");
    CreatedVault created = vaults.createVault(CreateVaultRequest.builder()
        .displayName("My GitHub credentials")
        .putMetadata("env", "production")
        .addCredential(credential("https://mcp.github.com/sse", Protocol.SSE, "ghp_"))
        .addCredential(credential("https://jira.example.com/mcp/sse", Protocol.SSE, "jira_"))
        .build());
    say("   Created " + created.vault().id() + " \"" + created.vault().displayName() + "\" with "
        + created.credentials().size() + " credentials:");
    for (Credential c : created.credentials()) {
      say("     " + c.id() + "  " + c.mcpServerUrl() + "  (" + c.protocol().wireName() + ")");
    }
    say("   The token is write-only. This is all the API ever shows of a credential:");
    Json.write(Json.credential(created.credentials().get(0))).lines()
        .forEach(line -> say("     " + line));
    return created.credentials().get(0);
  }

  private void pagination(VaultService vaults) {
    say("");
    say("2. Cursor pagination, newest first");
    for (int i = 1; i <= 25; i++) {
      vaults.createVault(CreateVaultRequest.builder().displayName("team-" + i)
          .addCredential(credential("https://mcp.team" + i + ".example/sse", Protocol.SSE, "tm_"))
          .build());
    }
    say("   Created 25 more vaults (26 in all). Pages of 10 with after_id:");
    List<String> forward = new ArrayList<>();
    String after = null;
    int n = 1;
    while (true) {
      Page<Vault> page = vaults.listVaults(ListRequest.builder().limit(10).afterId(after).build());
      page.data().forEach(v -> forward.add(v.id()));
      say("     page " + n++ + ": " + page.data().size() + " vaults, "
          + page.data().get(0).displayName() + " .. "
          + page.data().get(page.data().size() - 1).displayName() + ", has_more="
          + page.hasMore());
      if (!page.hasMore()) {
        break;
      }
      after = page.lastId();
    }
    List<List<String>> back = new ArrayList<>();
    String before = forward.get(forward.size() - 1);
    while (true) {
      Page<Vault> page = vaults.listVaults(ListRequest.builder().limit(10).beforeId(before)
          .build());
      back.add(page.data().stream().map(Vault::id).toList());
      if (!page.hasMore()) {
        break;
      }
      before = page.firstId();
    }
    Collections.reverse(back);
    List<String> backward = back.stream().flatMap(List::stream).toList();
    boolean same = backward.equals(forward.subList(0, forward.size() - 1));
    say("   Walking back with before_id from the oldest gives the same " + backward.size()
        + " vaults in the same order: " + (same ? "yes" : "NO"));
  }

  private void firstVaultWins(VaultService vaults) {
    say("");
    say("3. A session references vaults; the first vault with a match wins");
    String shared = "https://mcp.shared.example/sse";
    Vault a = vaults.createVault(CreateVaultRequest.builder().displayName("Team A")
        .addCredential(credential(shared, Protocol.SSE, "teamA_")).build()).vault();
    Vault b = vaults.createVault(CreateVaultRequest.builder().displayName("Team B")
        .addCredential(credential(shared, Protocol.SSE, "teamB_")).build()).vault();
    say("   \"Team A\" and \"Team B\" both hold a credential for " + shared);
    for (List<Vault> order : List.of(List.of(a, b), List.of(b, a))) {
      VaultSession s = vaults.openSession(order.stream().map(Vault::id).toList());
      ResolvedCredential r = s.resolve(shared).orElseThrow();
      String winner = r.vaultId().equals(a.id()) ? "Team A" : "Team B";
      say("   Session [" + order.get(0).displayName() + ", " + order.get(1).displayName()
          + "] injects " + winner + "'s credential: Authorization: Bearer "
          + redacted(r.accessToken()));
    }
  }

  private void rotationArchiveAndExplain(VaultService vaults, Credential github) {
    String url = github.mcpServerUrl();
    VaultSession session = vaults.openSession(List.of(github.vaultId()));
    say("");
    say("4. Rotation: archive the old credential and create its replacement in one step");
    Credential rotated = vaults.rotateCredential(github.vaultId(), github.id(),
        Secret.of(token("ghp_")));
    say("   " + github.id() + " -> " + rotated.id() + "; the old one is "
        + vaults.getCredential(github.vaultId(), github.id()).status().wireName()
        + " and its secret purged");
    say("   The session now injects " + session.resolve(url).orElseThrow().credentialId()
        + ": no connection ever saw the URL without a credential.");

    say("");
    say("5. Archive");
    vaults.archiveCredential(github.vaultId(), rotated.id());
    say("   Archived " + rotated.id() + ". The session now injects "
        + (session.resolve(url).isEmpty() ? "nothing: the agent connects unauthenticated."
            : "something (unexpected)"));
    vaults.createCredential(github.vaultId(), credential(url, Protocol.SSE, "ghp_"));

    say("");
    say("6. Explain a mistyped URL");
    String typo = "https://MCP.github.com/sse/";
    Explanation e = session.explain(typo);
    say("   The agent connects to " + typo + " and gets no credential. explain() says:");
    say("     compared as " + e.url().normalized() + " (scheme and host lower-cased)");
    for (Explanation.NearMiss m : e.nearMisses()) {
      say("     near miss " + m.credentialId() + " " + m.mcpServerUrl() + ": "
          + m.differences());
    }
  }

  private void otherKinds(VaultService vaults, String vaultId) {
    say("");
    say("7. Other kinds: an OAuth token with its refresh grant, and an environment variable");
    Credential notion = vaults.createCredential(vaultId, CreateCredentialRequest.builder()
        .type(CredentialType.MCP_OAUTH)
        .mcpServerUrl("https://mcp.notion.com/mcp")
        .protocol(Protocol.STREAMABLE_HTTP)
        .accessToken(token("ntn_"))
        .expiresAt(Instant.now().plus(Duration.ofHours(1)))
        .refresh(new OAuthRefreshRequest("https://api.notion.com/v1/oauth/token",
            "my-notion-client", null, null, Secret.of(token("ntnr_")),
            TokenEndpointAuth.post(Secret.of(token("ntcs_")))))
        .displayName("Notion")
        .build());
    say("   An mcp_oauth credential: access token, refresh token and client secret are all "
        + "write-only:");
    Json.write(Json.credential(notion)).lines().forEach(line -> say("     " + line));
    Credential updated = vaults.updateCredential(vaultId, notion.id(),
        UpdateCredentialRequest.builder(CredentialType.MCP_OAUTH)
            .accessToken(token("ntn_"))
            .expiresAt(Instant.now().plus(Duration.ofHours(2)))
            .build());
    say("   Updated in place (a merge patch): same id " + updated.id() + ", new access token, "
        + "the refresh grant kept.");

    String value = token("sk-");
    vaults.createCredential(vaultId, CreateCredentialRequest.builder()
        .type(CredentialType.ENVIRONMENT_VARIABLE)
        .secretName("OPENAI_API_KEY")
        .secretValue(Secret.of(value))
        .networking(Networking.limited(List.of("api.openai.com")))
        .injectionLocation(new InjectionLocation(true, false))
        .build());
    VaultSession session = vaults.openSession(List.of(vaultId));
    String placeholder = session.environment().get("OPENAI_API_KEY");
    say("   An environment_variable credential: a tool's environment gets OPENAI_API_KEY="
        + placeholder + ", never the value.");
    for (String host : List.of("api.openai.com", "api.openai.com.evil.example")) {
      HttpRequest sent = session.substitute(HttpRequest.newBuilder(
          URI.create("https://" + host + "/v1/models"))
          .header("Authorization", "Bearer " + placeholder).build());
      String header = sent.headers().firstValue("Authorization").orElse("");
      say("   A request to " + host + " carries Authorization: Bearer "
          + (header.equals("Bearer " + value)
              ? "<the value, substituted; " + value.length() + " characters>"
              : header.equals("Bearer " + placeholder) ? "the placeholder (host not allowed)"
                  : "something unexpected"));
    }
  }

  private void eventsAndAudit(VaultEngine engine) {
    say("");
    say("8. Events and a tamper-evident audit trail");
    java.util.Map<String, Long> byType = new java.util.TreeMap<>();
    long after = 0;
    while (true) {
      List<dev.vaultengine.VaultEvent> page = engine.events().read(after, 1000);
      page.forEach(e -> byType.merge(e.type().wireName(), 1L, Long::sum));
      if (page.size() < 1000) {
        break;
      }
      after = page.get(page.size() - 1).sequence();
    }
    say("   Every change emitted events in the same transaction: " + byType);
    dev.vaultengine.AuditVerification check = engine.audit().verify();
    say("   The audit trail holds " + check.entries() + " entries, chained with MACs: "
        + (check.intact() ? "intact" : "BROKEN: " + check.problem().orElse("")) + " (head "
        + check.headSequence() + ").");
    Secret first = Secret.of(tokens.get(0));
    try {
      List<dev.vaultengine.AuditEntry> found = engine.audit().find(first);
      say("   Was the first GitHub token ever stored? Its HMAC under the audit key is in "
          + found.size() + " entr" + (found.size() == 1 ? "y" : "ies") + " ("
          + found.stream().map(dev.vaultengine.AuditEntry::operation).distinct().toList()
          + "); the trail holds no token, only HMACs.");
    } finally {
      first.destroy();
    }
    say("   Follow them from a shell with ./vault events tail --follow; check the chain with "
        + "./vault audit verify.");
  }

  private void scan(Path dir) throws IOException {
    say("");
    say("9. No secret on disk");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    long bytes = 0;
    List<String> found = new ArrayList<>();
    TokenScan scan = new TokenScan(tokens);
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      bytes += content.length;
      if (!f.getFileName().toString().equals("kek.json") && scan.foundIn(content)) {
        found.add(f.getFileName().toString());
      }
    }
    say("   Searched " + files.size() + " files (" + bytes + " bytes) for all " + tokens.size()
        + " secrets written, as UTF-8, UTF-16 and Base64: "
        + (found.isEmpty() ? "none found." : "FOUND in " + found));
    if (!found.isEmpty()) {
      throw new UncheckedIOException(new IOException("a token was found on disk"));
    }
  }

  private void say(String line) {
    out.println(line);
  }
}
