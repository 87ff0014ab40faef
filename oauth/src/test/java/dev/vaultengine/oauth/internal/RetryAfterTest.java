package dev.vaultengine.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Retry-After in each of RFC 9110's forms, measured from a fixed clock. */
class RetryAfterTest {

  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void delaySeconds() {
    assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", NOW));
    assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse(" 0 ", NOW));
    assertEquals(Optional.of(Duration.ofSeconds(999_999_999_999L)),
        RetryAfter.parse("999999999999", NOW));
  }

  @Test
  void httpDateInEachForm() {
    Optional<Duration> twoMinutes = Optional.of(Duration.ofMinutes(2));
    assertEquals(twoMinutes, RetryAfter.parse("Thu, 01 Jan 2026 00:02:00 GMT", NOW));
    assertEquals(twoMinutes, RetryAfter.parse("Thursday, 01-Jan-26 00:02:00 GMT", NOW));
    assertEquals(twoMinutes, RetryAfter.parse("Thu Jan  1 00:02:00 2026", NOW));
  }

  @Test
  void aDateInThePastIsNoDelay() {
    assertEquals(Optional.of(Duration.ZERO),
        RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW));
    // RFC 850's two-digit year: 94 is 1994, not 2094.
    assertEquals(Optional.of(Duration.ZERO),
        RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW));
  }

  @Test
  void anythingElseIsNoValue() {
    for (String value : new String[] {null, "", "  ", "soon", "-5", "1.5", "+5", "0x10",
        "9999999999999", "Thu, 01 Jan 2026 00:02:00", "Fri, 01 Jan 2026 00:02:00 GMT"}) {
      assertEquals(Optional.empty(), RetryAfter.parse(value, NOW), String.valueOf(value));
    }
  }
}
