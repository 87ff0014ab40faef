package dev.vaultengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class McpServerUrlTest {

  @ParameterizedTest
  @CsvSource({
      "https://example.com/mcp,             https://example.com/mcp",
      "HTTPS://Example.COM/mcp,             https://example.com/mcp",
      "https://example.com:443/mcp,         https://example.com/mcp",
      "http://example.com:80,               http://example.com/",
      "http://example.com:8080/x,           http://example.com:8080/x",
      "https://example.com,                 https://example.com/",
      "https://example.com/MCP/?b=2&a=1,    https://example.com/MCP/?b=2&a=1",
      "https://[::1]:8443/mcp,              https://[::1]:8443/mcp",
      "https://example.com/p%2Fq,           https://example.com/p%2Fq",
      "https://bücher.example/mcp,          https://xn--bcher-kva.example/mcp",
      "https://BÜCHER.example:8443/mcp,     https://xn--bcher-kva.example:8443/mcp",
      "https://xn--bcher-kva.example/mcp,   https://xn--bcher-kva.example/mcp",
      "http://例え.テスト/,                 http://xn--r8jz45g.xn--zckzah/",
  })
  void normalizesSchemeHostPortAndEmptyPath(String url, String normalized) {
    McpServerUrl parsed = McpServerUrl.parse(url);
    assertEquals(url, parsed.original());
    assertEquals(normalized, parsed.normalized());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/", "example.com/mcp", "mailto:a@example.com",
      "https://exa mple.com/", "https://example.com/#frag", "https://u@example.com/", "https://",
      "https://example.com:70000/", "https://example.com/\u0000", "https:///path",
      "https://example.com:0/mcp", "http://example.com:0", "https://bü@cher.example/",
      "https://bü_cher.example/"})
  void rejectsWhatIsNotAnAbsoluteHttpUrl(String url) {
    VaultException e = assertThrows(VaultException.class, () -> McpServerUrl.parse(url));
    assertEquals(ErrorType.INVALID_REQUEST, e.type());
    assertEquals("mcp_server_url", e.param().orElseThrow());
  }
}
