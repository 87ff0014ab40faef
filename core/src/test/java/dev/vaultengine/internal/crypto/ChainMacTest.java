package dev.vaultengine.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.Secret;
import dev.vaultengine.spi.AuditRow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The audit chain's MACs, computed field by field on the JDK's SHA-256, are exactly Tink's MAC
 * of the whole input on the same key: trails written before the change verify after it, and the
 * streamed encoding (text as UTF-8, nulls, a buffer that grows) is the documented one.
 */
class ChainMacTest {
  private static final String[] TEXTS = {null, "", "vlt_0123456789abcdef0123456789abcdef",
      "credential.create", "ok", "Zoë the operator", "数据", "emoji \uD83D\uDD11 key",
      "access_token=" + "ab".repeat(32), "x".repeat(700), "é".repeat(400)};

  @Test
  void chainMacIsTinksMacOfTheWholeInput() throws Exception {
    AuditKey key = AuditKey.generateForTest();
    Random random = new Random(42);
    byte[] previous = null;
    for (int i = 0; i < 500; i++) {
      AuditRow row = new AuditRow(random.nextInt(1_000_000),
          Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1_000_000), random.nextInt(1_000_000) * 1_000),
          pick(random), pick(random), "credential.create", pick(random), pick(random),
          random.nextBoolean() ? "ok" : "Zoë's outcome", pick(random), pick(random), null);
      byte[] sealed = key.seal(previous, row);
      assertArrayEquals(key.referenceMac(AuditKey.chainInput(previous, row)), sealed,
          "entry " + i);
      AuditRow withMac = row.sealed(sealed);
      assertTrue(key.verify(previous, withMac));
      sealed[0] ^= 1;
      assertFalse(key.verify(previous, row.sealed(sealed)), "a flipped bit is found");
      previous = withMac.mac();
    }
  }

  @Test
  void secretHashIsTinksMacOfLabelAndSecret() throws Exception {
    AuditKey key = AuditKey.generateForTest();
    for (String token : new String[] {"t", "sk-" + "a".repeat(5_000), "pässwörd"}) {
      byte[] input = ("vault-engine/audit-secret/v1" + token).getBytes(StandardCharsets.UTF_8);
      assertEquals(HexFormat.of().formatHex(key.referenceMac(input)),
          key.hash(Secret.of(token)));
    }
  }

  @Test
  void streamedWholeInputIsTheSameMacAgainAndAgain() throws Exception {
    AuditKey key = AuditKey.generateForTest();
    byte[] input = new byte[3_000];
    new Random(7).nextBytes(input);
    byte[] expected = key.referenceMac(input);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(expected, key.streamedMac(input), "the buffer is reset between uses");
    }
  }

  /**
   * The HMAC built on cloned SHA-256 states is the JDK's HmacSHA256 for keys shorter than, as
   * long as, and longer than a block (hashed first), and inputs of 0 to 1,000 bytes.
   */
  @Test
  void hmacFromClonedDigestsIsTheJdksHmacForAnyKeyLength() throws Exception {
    Random random = new Random(11);
    for (int keyLength : new int[] {1, 16, 32, 63, 64, 65, 100, 200}) {
      byte[] key = new byte[keyLength];
      random.nextBytes(key);
      javax.crypto.Mac jdk = javax.crypto.Mac.getInstance("HmacSHA256");
      jdk.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      ChainMac mac = new ChainMac(key);
      for (int i = 0; i < 40; i++) {
        byte[] input = new byte[random.nextInt(1_001)];
        random.nextBytes(input);
        mac.begin().bytes(input, 0, input.length);
        assertArrayEquals(jdk.doFinal(input), mac.finish(),
            "key of " + keyLength + " bytes, input of " + input.length);
      }
    }
  }

  private static String pick(Random random) {
    return TEXTS[random.nextInt(TEXTS.length)];
  }
}
