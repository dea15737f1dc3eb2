package dev.sextant.validation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 (RFC 3629): the contract's JSON is UTF-8, and the decoders are lenient in ways that
 * change what is stored. Text read as is (BatchReader's raw JSON fields) turns an invalid byte into
 * U+FFFD, and Jackson reads an overlong form as the character it imitates ({@code C1 A1} as
 * {@code a}), so that an id or name could be stored as other than what was sent.
 */
public final class Utf8 {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8() {}

  /** Whether {@code bytes} are well-formed UTF-8: no overlong form, surrogate or code point past U+10FFFF. */
  public static boolean isValid(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      // ASCII, the bulk of any JSON, eight bytes at a time
      if (i + 8 <= n && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
        i += 8;
        continue;
      }
      int b = bytes[i] & 0xff;
      if (b < 0x80) {
        i++;
        continue;
      }
      int length;
      int min2;
      int max2;
      if (b >= 0xc2 && b <= 0xdf) {
        length = 2;
        min2 = 0x80;
        max2 = 0xbf;
      } else if (b >= 0xe0 && b <= 0xef) {
        length = 3;
        min2 = b == 0xe0 ? 0xa0 : 0x80; // E0 80..9F would be overlong
        max2 = b == 0xed ? 0x9f : 0xbf; // ED A0..BF would be a surrogate
      } else if (b >= 0xf0 && b <= 0xf4) {
        length = 4;
        min2 = b == 0xf0 ? 0x90 : 0x80; // F0 80..8F would be overlong
        max2 = b == 0xf4 ? 0x8f : 0xbf; // F4 90.. would be past U+10FFFF
      } else {
        return false; // a continuation byte first, C0/C1 (overlong), or F5..FF
      }
      if (i + length > n) {
        return false;
      }
      int second = bytes[i + 1] & 0xff;
      if (second < min2 || second > max2) {
        return false;
      }
      for (int k = 2; k < length; k++) {
        if ((bytes[i + k] & 0xc0) != 0x80) {
          return false;
        }
      }
      i += length;
    }
    return true;
  }
}
