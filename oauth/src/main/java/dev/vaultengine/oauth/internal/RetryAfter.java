package dev.vaultengine.oauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} value (RFC 9110 section 10.2.3): delay-seconds, or an HTTP-date in
 * any of its three forms (IMF-fixdate, and the obsolete RFC 850 and asctime forms, which a
 * recipient must accept). A date in the past is a zero delay; anything else is no value.
 */
public final class RetryAfter {

  /** {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  /** {@code Sun Nov  6 08:49:37 1994}, always UTC. */
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

  private RetryAfter() {}

  /** The delay {@code value} asks for, measured from {@code clock}'s now for a date. */
  public static Optional<Duration> parse(String value, Clock clock) {
    if (value == null) {
      return Optional.empty();
    }
    String text = value.trim();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (allDigits(text)) {
      if (text.length() > 12) {
        return Optional.empty(); // more than 30,000 years: not a delay anyone means
      }
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
    Instant now = clock.instant();
    Optional<Instant> date = date(text, now);
    if (date.isEmpty()) {
      return Optional.empty();
    }
    Duration delay = Duration.between(now, date.get());
    return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
  }

  private static Optional<Instant> date(String text, Instant now) {
    try {
      return Optional.of(ZonedDateTime.parse(text, IMF_FIXDATE).toInstant());
    } catch (DateTimeParseException e) {
      // not IMF-fixdate
    }
    try {
      return Optional.of(ZonedDateTime.parse(text, rfc850(now)).toInstant());
    } catch (DateTimeParseException e) {
      // not RFC 850
    }
    try {
      return Optional.of(ZonedDateTime.parse(text, ASCTIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code Sunday, 06-Nov-94 08:49:37 GMT}. Its two-digit year is read as at most 50 years ahead
   * of now and otherwise in the past, as RFC 9110 says.
   */
  private static DateTimeFormatter rfc850(Instant now) {
    int year = now.atZone(ZoneOffset.UTC).getYear();
    return new DateTimeFormatterBuilder()
        .appendPattern("EEEE, dd-MMM-")
        .appendValueReduced(ChronoField.YEAR, 2, 2, year - 49)
        .appendPattern(" HH:mm:ss 'GMT'")
        .toFormatter(Locale.US)
        .withZone(ZoneOffset.UTC);
  }

  private static boolean allDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
