package dev.vaultengine.mcp;

import dev.vaultengine.McpServerUrl;
import dev.vaultengine.VaultException;
import java.net.URI;
import java.util.Locale;

/**
 * Which requests of a transport may carry the credential of one MCP server URL: the URL itself
 * (compared normalized, as credentials are: {@link McpServerUrl#normalized()}), or a URL of the
 * same origin (scheme, host and port, normalized) whose path lies under the directory of the
 * server URL's path (the path up to its last {@code /}), whatever its query. That covers every
 * request of the streamable HTTP transport (one endpoint) and of the SSE transport (the SSE
 * endpoint, and the message endpoint the server names, such as {@code /mcp/message?sessionId=...}
 * beside {@code /sse}). Any other origin, a path outside that directory, a path with a dot segment
 * ({@code .}, {@code ..}, also percent-encoded or with path parameters, such as {@code ..;x}) and a
 * URL that does not parse get nothing.
 */
final class RequestScope {
  private final McpServerUrl server;
  private final String origin;
  private final String directory;
  /** The last URI found covered: a transport sends to one or two URIs over and over. */
  private volatile URI lastCovered;

  RequestScope(String mcpServerUrl) {
    this.server = McpServerUrl.parse(mcpServerUrl);
    String n = server.normalized();
    int slash = pathStart(n);
    this.origin = n.substring(0, slash);
    String path = path(n, slash);
    this.directory = path.substring(0, path.lastIndexOf('/') + 1);
  }

  McpServerUrl server() {
    return server;
  }

  boolean covers(URI request) {
    if (request == null) {
      return false;
    }
    URI last = lastCovered;
    if (request == last || request.equals(last)) {
      return true;
    }
    McpServerUrl url;
    try {
      url = McpServerUrl.parse(request.toString());
    } catch (VaultException e) {
      return false;
    }
    String n = url.normalized();
    boolean covered = n.equals(server.normalized());
    if (!covered) {
      int slash = pathStart(n);
      String path = path(n, slash);
      covered = n.substring(0, slash).equals(origin) && path.startsWith(directory)
          && !hasDotSegment(path);
    }
    if (covered) {
      lastCovered = request;
    }
    return covered;
  }

  /** Scheme, host and port of {@code request} as normalized, for a log line; never the query. */
  static String describe(URI request) {
    try {
      String n = McpServerUrl.parse(request.toString()).normalized();
      int slash = pathStart(n);
      return n.substring(0, slash) + path(n, slash);
    } catch (VaultException | NullPointerException e) {
      return "an unparseable URL";
    }
  }

  /** Index of the path's first {@code /} in a normalized URL (it always has a path). */
  private static int pathStart(String normalized) {
    return normalized.indexOf('/', normalized.indexOf("://") + 3);
  }

  private static String path(String normalized, int slash) {
    int query = normalized.indexOf('?', slash);
    return normalized.substring(slash, query < 0 ? normalized.length() : query);
  }

  /**
   * Whether a segment is {@code .} or {@code ..}, also percent-encoded or followed by path
   * parameters: servlet containers drop {@code ;...} from a segment before they resolve dot
   * segments, so Tomcat serves {@code /mcp/..;/admin} as {@code /admin}.
   */
  private static boolean hasDotSegment(String rawPath) {
    for (String segment : rawPath.split("/", -1)) {
      String s = segment.toLowerCase(Locale.ROOT).replace("%2e", ".").replace("%3b", ";");
      int parameters = s.indexOf(';');
      if (parameters >= 0) {
        s = s.substring(0, parameters);
      }
      if (s.equals(".") || s.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
