package dev.vaultengine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link Hex} writes exactly what {@link HexFormat} wrote before it. */
class HexTest {
  @Test
  void bytesAsHexFormatWritesThem() {
    SplittableRandom random = new SplittableRandom(17);
    for (int length = 0; length <= 64; length++) {
      byte[] b = new byte[length];
      random.nextBytes(b);
      assertEquals(HexFormat.of().formatHex(b), Hex.of(b));
    }
    assertEquals("00ff807f", Hex.of(new byte[] {0, -1, (byte) 0x80, 0x7f}));
  }

  @Test
  void idsAsTheirPrefixAndBothHalvesOfTheUuid() {
    SplittableRandom random = new SplittableRandom(18);
    long[] edges = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1, 0xf0L};
    for (int i = 0; i < 200; i++) {
      long high = i < edges.length ? edges[i] : random.nextLong();
      long low = i < edges.length ? edges[edges.length - 1 - i] : random.nextLong();
      UUID uuid = new UUID(high, low);
      for (Ids kind : Ids.values()) {
        String prefix = switch (kind) {
          case VAULT -> "vault_";
          case CREDENTIAL -> "vcred_";
          case EVENT -> "evt_";
        };
        String expected = prefix + HexFormat.of().toHexDigits(high)
            + HexFormat.of().toHexDigits(low);
        assertEquals(expected, kind.format(uuid));
        assertTrue(kind.matches(kind.format(uuid)));
      }
    }
  }
}
