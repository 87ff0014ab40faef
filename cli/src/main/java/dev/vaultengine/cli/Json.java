package dev.vaultengine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialValidation;
import dev.vaultengine.Explanation;
import dev.vaultengine.KeysetStatus;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefresh;
import dev.vaultengine.Page;
import dev.vaultengine.ReencryptionReport;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Vault;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;

/** The seeds' JSON shapes: snake_case, RFC 3339 UTC times with six fraction digits. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Json() {}

  /** {@code node} on one line: a record of a JSON-lines stream. */
  static String writeLine(JsonNode node) {
    try {
      return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String time(Instant t) {
    return TIME.format(t);
  }

  static ObjectNode vault(Vault v) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", v.id());
    n.put("type", v.type());
    n.put("display_name", v.displayName());
    n.put("status", v.status().wireName());
    ObjectNode metadata = n.putObject("metadata");
    v.metadata().forEach(metadata::put);
    v.archivedAt().ifPresent(t -> n.put("archived_at", time(t)));
    n.put("created_at", time(v.createdAt()));
    n.put("updated_at", time(v.updatedAt()));
    return n;
  }

  static ObjectNode created(CreatedVault c) {
    ObjectNode n = vault(c.vault());
    ArrayNode credentials = MAPPER.createArrayNode();
    c.credentials().forEach(cred -> credentials.add(credential(cred)));
    // The create response carries the credentials between metadata and the times, as in the seeds.
    ObjectNode ordered = MAPPER.createObjectNode();
    n.fields().forEachRemaining(e -> {
      if (e.getKey().equals("created_at")) {
        ordered.set("credentials", credentials);
      }
      ordered.set(e.getKey(), e.getValue());
    });
    return ordered;
  }

  /**
   * A credential in the REST shape, never a secret: the seeds' fields in the seeds' order, then
   * its kind's fields, then {@code display_name} and {@code metadata} when it has them (so a
   * credential created as the seeds create it prints exactly the seeds' response).
   */
  static ObjectNode credential(Credential c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", c.id());
    n.put("vault_id", c.vaultId());
    if (c.type().isMcp()) {
      n.put("mcp_server_url", c.mcpServerUrl());
      n.put("protocol", c.protocol().wireName());
    }
    n.put("type", c.type().wireName());
    CredentialKind kind = c.kind();
    if (kind instanceof CredentialKind.McpOAuth o) {
      putTime(n, "expires_at", o.expiresAt());
      if (o.refresh().isPresent()) {
        OAuthRefresh r = o.refresh().get();
        ObjectNode refresh = n.putObject("refresh");
        refresh.put("token_endpoint", r.tokenEndpoint());
        refresh.put("client_id", r.clientId());
        refresh.put("scope", r.scope().orElse(null));
        refresh.put("resource", r.resource().orElse(null));
        refresh.putObject("token_endpoint_auth").put("type", r.tokenEndpointAuth().wireName());
      } else {
        n.putNull("refresh");
      }
    } else if (kind instanceof CredentialKind.EnvironmentVariable e) {
      n.put("secret_name", e.secretName());
      ObjectNode networking = n.putObject("networking");
      networking.put("type", e.networking().type());
      if (e.networking() instanceof Networking.Limited limited) {
        ArrayNode hosts = networking.putArray("allowed_hosts");
        limited.allowedHosts().forEach(hosts::add);
      }
      n.putObject("injection_location")
          .put("header", e.injectionLocation().header())
          .put("body", e.injectionLocation().body());
    }
    if (c.displayName().isPresent() || !c.metadata().isEmpty()) {
      n.put("display_name", c.displayName().orElse(null));
      ObjectNode metadata = n.putObject("metadata");
      c.metadata().forEach(metadata::put);
    }
    n.put("status", c.status().wireName());
    c.archivedAt().ifPresent(t -> n.put("archived_at", time(t)));
    n.put("created_at", time(c.createdAt()));
    n.put("updated_at", time(c.updatedAt()));
    return n;
  }

  private static void putTime(ObjectNode n, String field, java.util.Optional<Instant> t) {
    if (t.isPresent()) {
      n.put(field, time(t.get()));
    } else {
      n.putNull(field);
    }
  }

  /** A session's environment: each secret name and its placeholder, never a value. */
  static ObjectNode environment(java.util.List<String> vaultIds,
      java.util.Map<String, String> environment) {
    ObjectNode n = MAPPER.createObjectNode();
    ArrayNode ids = n.putArray("vault_ids");
    vaultIds.forEach(ids::add);
    ObjectNode env = n.putObject("environment");
    new java.util.TreeMap<>(environment).forEach(env::put);
    return n;
  }

  static <T> ObjectNode page(Page<T> page, Function<T, ObjectNode> item) {
    ObjectNode n = MAPPER.createObjectNode();
    ArrayNode data = n.putArray("data");
    page.data().forEach(t -> data.add(item.apply(t)));
    n.put("first_id", page.firstId());
    n.put("last_id", page.lastId());
    n.put("has_more", page.hasMore());
    return n;
  }

  static ObjectNode deleted(String id, String type) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", id);
    n.put("type", type);
    return n;
  }

  static ObjectNode resolved(ResolvedCredential r, boolean reveal) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("matched", true);
    n.put("vault_id", r.vaultId());
    n.put("credential_id", r.credentialId());
    n.put("mcp_server_url", r.mcpServerUrl());
    n.put("protocol", r.protocol().wireName());
    n.put("type", r.type().wireName());
    r.expiresAt().ifPresent(at -> n.put("expires_at", at.toString()));
    r.refreshProblem().ifPresent(p -> n.put("refresh_problem", p.name().toLowerCase(Locale.ROOT)));
    if (reveal) {
      n.put("authorization", r.authorizationHeader());
    }
    return n;
  }

  /** {@code vault_credential_validation}, as the hosted APIs answer {@code mcp_oauth_validate}. */
  static ObjectNode validation(CredentialValidation v) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", "vault_credential_validation");
    n.put("credential_id", v.credentialId());
    n.put("vault_id", v.vaultId());
    n.put("validated_at", v.validatedAt().toString());
    n.put("has_refresh_token", v.hasRefreshToken());
    n.put("status", v.status().wireName());
    ObjectNode refresh = n.putObject("refresh");
    refresh.put("status", v.refresh().wireName());
    v.detail().ifPresent(d -> refresh.put("detail", d));
    return n;
  }

  static ObjectNode unmatched() {
    return MAPPER.createObjectNode().put("matched", false);
  }

  static ObjectNode explanation(Explanation e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("url", e.url().original());
    n.put("normalized_url", e.url().normalized());
    ArrayNode searched = n.putArray("searched_vault_ids");
    e.searchedVaultIds().forEach(searched::add);
    if (e.match().isPresent()) {
      n.set("match", credential(e.match().get()));
    } else {
      n.putNull("match");
    }
    ArrayNode misses = n.putArray("near_misses");
    for (Explanation.NearMiss m : e.nearMisses()) {
      ObjectNode miss = misses.addObject();
      miss.put("vault_id", m.vaultId());
      miss.put("credential_id", m.credentialId());
      miss.put("mcp_server_url", m.mcpServerUrl());
      ArrayNode differences = miss.putArray("differences");
      m.differences().forEach(d -> differences.add(d.name().toLowerCase(Locale.ROOT)));
    }
    e.refreshProblem().ifPresent(p -> n.put("refresh_problem", p.name().toLowerCase(Locale.ROOT)));
    n.put("description", e.describe());
    return n;
  }

  static ObjectNode keys(KeysetStatus s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("primary_key_id", s.primaryKeyId());
    ArrayNode keys = n.putArray("keys");
    for (KeysetStatus.DataKey k : s.keys()) {
      keys.addObject().put("id", k.id()).put("primary", k.primary()).put("enabled", k.enabled());
    }
    n.put("tokens_on_older_keys", s.tokensOnOlderKeys());
    return n;
  }

  static ObjectNode reencryption(ReencryptionReport r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("reencrypted", r.reencrypted());
    ArrayNode failed = n.putArray("failed_credential_ids");
    r.failedCredentialIds().forEach(failed::add);
    n.put("remaining", r.remaining());
    return n;
  }

  static ObjectNode event(dev.vaultengine.VaultEvent e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", e.id());
    n.put("type", e.type().wireName());
    n.put("sequence", e.sequence());
    n.put("account_id", e.accountId().orElse(null));
    n.put("vault_id", e.vaultId().orElse(null));
    n.put("credential_id", e.credentialId().orElse(null));
    n.put("created_at", e.createdAt().toString());
    return n;
  }

  static ObjectNode auditEntry(dev.vaultengine.AuditEntry e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("sequence", e.sequence());
    n.put("at", e.at().toString());
    n.put("account_id", e.accountId().orElse(null));
    n.put("actor", e.actor().orElse(null));
    n.put("operation", e.operation());
    n.put("vault_id", e.vaultId().orElse(null));
    n.put("credential_id", e.credentialId().orElse(null));
    n.put("outcome", e.outcome());
    ObjectNode hashes = n.putObject("secret_hmacs");
    new java.util.TreeMap<>(e.secretHashes()).forEach(hashes::put);
    n.put("detail", e.detail().orElse(null));
    n.put("mac", e.mac());
    return n;
  }

  static ObjectNode verification(dev.vaultengine.AuditVerification v) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("intact", v.intact());
    n.put("entries", v.entries());
    if (v.firstBroken().isPresent()) {
      n.put("first_broken_sequence", v.firstBroken().getAsLong());
    } else {
      n.putNull("first_broken_sequence");
    }
    n.put("problem", v.problem().orElse(null));
    n.put("head_sequence", v.headSequence());
    n.put("head_mac", v.headMac());
    return n;
  }

  static ObjectNode secretSearch(String hmac, java.util.List<dev.vaultengine.AuditEntry> found) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("hmac", hmac);
    n.put("ever_recorded", !found.isEmpty());
    ArrayNode entries = n.putArray("entries");
    found.forEach(e -> entries.add(auditEntry(e)));
    return n;
  }
}
