package dev.vaultengine;

import dev.vaultengine.internal.TextRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An MCP server URL and the normalized form that credentials are matched on. Scheme and host are
 * lower-cased, an internationalized host is compared in its ASCII ({@code xn--}) form, the default
 * port is dropped, an empty path becomes {@code /}; path and query are compared exactly; a
 * fragment, user information or port 0 is rejected.
 *
 * @param original the URL as written
 * @param normalized the form compared by the one-credential-per-URL rule and by resolve
 */
public record McpServerUrl(String original, String normalized) {

  /** Longest accepted URL, in characters. */
  public static final int MAX_LENGTH = 2048;

  /**
   * Parses and normalizes {@code url}.
   *
   * @throws VaultException.InvalidRequest about {@code mcp_server_url} when it is not an absolute
   *     http or https URL of at most 2048 characters
   */
  public static McpServerUrl parse(String url) {
    return parse(url, "mcp_server_url");
  }

  /**
   * As {@link #parse(String)}, with {@code param} as the errors' {@link VaultException#param()}
   * (the field's path in a request, such as {@code credentials[0].mcp_server_url}); their message
   * names the field {@code mcp_server_url} as the API documents it.
   */
  public static McpServerUrl parse(String url, String param) {
    TextRules.requireText(url, param, MAX_LENGTH);
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c == 0x7F) {
        throw invalid("Field 'mcp_server_url' must not contain spaces or control characters.", param);
      }
    }
    URI uri;
    try {
      uri = new URI(asciiHost(url, param));
    } catch (URISyntaxException e) {
      throw absoluteHttp(param);
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme) || uri.isOpaque()) {
      throw absoluteHttp(param);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw invalid("Field 'mcp_server_url' must name a host.", param);
    }
    if (uri.getRawUserInfo() != null) {
      throw invalid("Field 'mcp_server_url' must not contain user information.", param);
    }
    if (uri.getRawFragment() != null) {
      throw invalid("Field 'mcp_server_url' must not contain a fragment.", param);
    }
    int port = uri.getPort();
    if (port == 0 || port > 65535) {
      throw invalid("Field 'mcp_server_url' has a port out of range.", param);
    }
    boolean defaultPort = port == -1
        || ("http".equals(scheme) && port == 80)
        || ("https".equals(scheme) && port == 443);
    StringBuilder normalized = new StringBuilder(url.length() + 1)
        .append(scheme).append("://").append(uri.getHost().toLowerCase(Locale.ROOT));
    if (!defaultPort) {
      normalized.append(':').append(port);
    }
    String path = uri.getRawPath();
    normalized.append(path == null || path.isEmpty() ? "/" : path);
    if (uri.getRawQuery() != null) {
      normalized.append('?').append(uri.getRawQuery());
    }
    String key = normalized.toString();
    // Most URLs are written in their normalized form: share the string rather than keep two.
    return new McpServerUrl(url, key.equals(url) ? url : key);
  }

  /**
   * {@code url} with a host of non-ASCII letters in its ASCII form (IDNA, {@code java.net.IDN}),
   * which {@code java.net.URI} needs to see a server authority; any other URL unchanged.
   */
  private static String asciiHost(String url, String param) {
    int start = url.indexOf("://");
    if (start < 0) {
      return url;
    }
    start += 3;
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    String authority = url.substring(start, end);
    if (authority.chars().allMatch(c -> c < 0x80)) {
      return url;
    }
    if (authority.indexOf('@') >= 0) {
      throw invalid("Field 'mcp_server_url' must not contain user information.", param);
    }
    int colon = authority.lastIndexOf(':');
    String host = colon >= 0 ? authority.substring(0, colon) : authority;
    String port = colon >= 0 ? authority.substring(colon) : "";
    String ascii;
    try {
      ascii = java.net.IDN.toASCII(host, java.net.IDN.USE_STD3_ASCII_RULES);
    } catch (IllegalArgumentException e) {
      throw invalid("Field 'mcp_server_url' must name a valid host.", param);
    }
    return url.substring(0, start) + ascii + port + url.substring(end);
  }

  private static VaultException absoluteHttp(String param) {
    return invalid("Field 'mcp_server_url' must be an absolute http or https URL.", param);
  }

  private static VaultException invalid(String message, String param) {
    return VaultException.invalidRequest(message, param);
  }
}
