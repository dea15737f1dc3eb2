package dev.sextant.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generators of what hostile clients send: JSON bodies mutated from a valid one (wrong
 * types, huge and tiny numbers, deep nesting, long strings, NUL, lone surrogates, invalid UTF-8,
 * duplicate and unknown keys, truncation, a wrong {@code Content-Type}) and query values. The same
 * {@link Random} seed gives the same bytes, so a failing case is replayed from its seed alone.
 */
final class Hostile {

  /**
   * A body as sent: bytes, {@code Content-Type} (null for none), {@code Content-Encoding} (null
   * for none), and how it was made.
   */
  record Body(byte[] bytes, String contentType, String contentEncoding, String recipe) {

    String preview() {
      String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
      return text + (bytes.length > 300 ? "… (" + bytes.length + " bytes)" : "");
    }
  }

  /** JSON text written as is: what a JSON library would never produce. */
  private record Raw(byte[] bytes) {

    static Raw of(String text) {
      return new Raw(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** An object whose members may repeat a key. */
  private record Obj(List<Object[]> members) {}

  private Hostile() {}

  // ---- bodies ----

  static Body body(Random random, JsonObject valid) {
    Object tree = tree(valid);
    List<String> recipe = new ArrayList<>();
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      recipe.add(mutate(random, tree));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, tree);
    byte[] bytes = out.toByteArray();
    int roll = random.nextInt(100);
    if (roll < 8) {
      int cut = random.nextInt(Math.max(1, bytes.length));
      bytes = java.util.Arrays.copyOf(bytes, cut);
      recipe.add("truncated at " + cut);
    } else if (roll < 10) {
      bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes);
      recipe.add("BOM first");
    } else if (roll < 13) {
      bytes = concat(bytes, pick(random, "}", "]", " {}", "\u0000", "x").getBytes(StandardCharsets.UTF_8));
      recipe.add("trailing garbage");
    } else if (roll < 15) {
      bytes = pick(random, "", " ", "null", "[]", "\"text\"", "42", "[{}]").getBytes(StandardCharsets.UTF_8);
      recipe.add("replaced by a non-object");
    }
    String contentType = "application/json";
    if (random.nextInt(100) < 6) {
      contentType = pick(random, null, "text/plain", "application/x-www-form-urlencoded",
          "application/json; charset=utf-16", "application/JSON", "application/problem+json",
          "application/x-protobuf", "multipart/form-data; boundary=x", "application/json;;;");
      recipe.add("Content-Type " + contentType);
    }
    String encoding = null;
    int coding = random.nextInt(100);
    if (coding < 5) {
      encoding = Hostile.pick(random, "gzip", "x-gzip", "GZIP", "gzip, identity");
      bytes = gzip(bytes);
      recipe.add("gzipped, " + encoding);
    } else if (coding < 7) {
      encoding = "deflate";
      bytes = deflate(bytes);
      recipe.add("deflated");
    } else if (coding < 9) {
      encoding = Hostile.pick(random, "gzip", "deflate", "gzip, gzip");
      recipe.add("claims " + encoding + " but is plain");
    } else if (coding < 11) {
      encoding = "gzip";
      byte[] zipped = gzip(bytes);
      bytes = java.util.Arrays.copyOf(zipped, random.nextInt(zipped.length));
      recipe.add("gzip cut at " + bytes.length);
    } else if (coding < 12) {
      encoding = Hostile.pick(random, "br", "compress", "zstd", "", "gzip;q=1", "identity");
      recipe.add("Content-Encoding " + encoding);
    }
    return new Body(bytes, contentType, encoding, String.join("; ", recipe));
  }

  private static byte[] gzip(byte[] bytes) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] bytes) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream zip = new java.util.zip.DeflaterOutputStream(out)) {
      zip.write(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Applies one mutation somewhere in {@code tree}; what it did. */
  private static String mutate(Random random, Object tree) {
    List<Object[]> slots = new ArrayList<>(); // {container, index}
    List<Obj> objects = new ArrayList<>();
    slots(tree, slots, objects);
    int kind = random.nextInt(10);
    if (kind < 5 && !slots.isEmpty()) {
      Object[] slot = slots.get(random.nextInt(slots.size()));
      Object value = value(random);
      set(slot, value);
      return "replaced " + label(slot) + " by " + describe(value);
    }
    Obj target = objects.get(random.nextInt(objects.size()));
    if (kind < 7) {
      Object value = value(random);
      target.members().add(new Object[] {pick(random, "unknown", "__proto__", "id", "", "a\u0000b",
          "x".repeat(600), "constructor", "NAME"), value});
      return "added a key with " + describe(value);
    }
    if (kind < 9 && !target.members().isEmpty()) {
      Object[] member = target.members().get(random.nextInt(target.members().size()));
      Object value = value(random);
      target.members().add(new Object[] {member[0], value});
      return "repeated key " + member[0] + " with " + describe(value);
    }
    if (!target.members().isEmpty()) {
      Object[] removed = target.members().remove(random.nextInt(target.members().size()));
      return "removed key " + removed[0];
    }
    return "left as is";
  }

  /** A value of the wrong type, size or encoding, or an ordinary one. */
  static Object value(Random random) {
    return switch (random.nextInt(8)) {
      case 0, 1 -> string(random);
      case 2 -> Raw.of(pick(random, "0", "-0", "-1", "1", "2147483647", "2147483648", "-2147483649",
          "9223372036854775807", "9223372036854775808", "-9223372036854775809",
          "123456789012345678901234567890", "1e308", "1e309", "-1e400", "1e-400", "4.9e-324",
          "0.1", "1.5", "1E2", "-0.0", "1e1000000"));
      case 3 -> Raw.of(pick(random, "true", "false", "null", "{}", "[]", "[null]", "[[]]", "{\"\":{}}"));
      case 4 -> deep(random);
      case 5 -> Raw.of(pick(random, "\"\\ud800\"", "\"\\udc00abc\"", "\"x\\ud83d\"", "\"\\u0000\"",
          "\"a\\u0000b\"", "\"\\uD83D\\uDE00\""));
      case 6 -> new Raw(pickBytes(random));
      default -> Raw.of(pick(random, "NaN", "Infinity", "-", "01", "0x10", "'single'", "\"\\x\"",
          "\"\\uZZZZ\"", "[1,]", "{\"a\" 1}", "\"unterminated"));
    };
  }

  /** Hostile text as a Java string (serialised with ordinary escapes). */
  static String string(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> "x".repeat(pick(random, 129, 201, 513, 10_000, 200_000));
      case 1 -> pick(random, "", " ", "\u0000", "a\u0000b", "\n\r\t", "null", "true", "-1", "1e999",
          "../../etc/passwd", "' OR 1=1 --", "%00", "<script>", "a b", "😀".repeat(300), "\u202e", "\uFEFF");
      case 2 -> pick(random, "2026-02-30T25:61:61Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
          "+275760-09-13T00:00:00Z", "-999999999-01-01T00:00:00Z", "2026-11-26T20:18:38.123+99:00",
          "99999999999999999999999", "1700000000000000000", "-1", "2026-11-26");
      case 3 -> pick(random, "llm", "error", "ok", "human", "regex", "contains", "numeric_tolerance",
          "OK", "LLM", "tool ", "exact_match", "json_valid", "levenshtein_similarity");
      case 4 -> pick(random, "(a+)+$", "(.*a){20}$", "[", "\\", "\\Q", "(?<n>x)\\k<n>", "a{99999}");
      default -> randomText(random, 1 + random.nextInt(40));
    };
  }

  private static String randomText(Random random, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int cp = switch (random.nextInt(4)) {
        case 0 -> random.nextInt(0x20);
        case 1 -> 0x20 + random.nextInt(0x5f);
        case 2 -> 0xA0 + random.nextInt(0xD7FF - 0xA0);
        default -> 0x10000 + random.nextInt(0x10FFFF - 0x10000);
      };
      b.appendCodePoint(cp);
    }
    return b.toString();
  }

  private static Raw deep(Random random) {
    int depth = pick(random, 63, 64, 65, 200, 999, 1000, 1001, 5000);
    boolean arrays = random.nextBoolean();
    String open = arrays ? "[" : "{\"a\":";
    String close = arrays ? "]" : "}";
    return Raw.of(open.repeat(depth) + "1" + close.repeat(depth));
  }

  /** Bytes that are not UTF-8, inside a string. */
  private static byte[] pickBytes(Random random) {
    byte[][] choices = {
        {'"', (byte) 0xFF, (byte) 0xFE, '"'},
        {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // a surrogate, CESU-8 style
        {'"', (byte) 0xC0, (byte) 0x80, '"'},               // overlong NUL
        {'"', 'a', (byte) 0xE2, (byte) 0x82, '"'},          // cut sequence
        {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // above U+10FFFF
    };
    return choices[random.nextInt(choices.length)];
  }

  // ---- query strings ----

  /** A query value: percent-encoded bytes, hostile or plausible. */
  static String queryValue(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> pick(random, "%00", "%FF", "%C0%80", "%ED%A0%80", "%E2%82", "%F4%90%80%80", "%25",
          "%2525", "+", "%20", "");
      case 1 -> percent(Raw.of(string(random)).bytes());
      case 2 -> pick(random, "0", "-1", "1001", "1000", "1", "2147483648", "9223372036854775808",
          "1e3", "1.5", "0x10", "NaN", "-0", "00001", "１０");
      case 3 -> pick(random, "none", "name", "model", "user_id", "release", "1h", "24h", "7d", "30d",
          "queued", "running", "failed", "dead", "ok", "error", "latest", "prod");
      default -> percent(randomText(random, 1 + random.nextInt(20)).getBytes(StandardCharsets.UTF_8));
    };
  }

  /** Every byte outside the unreserved set percent-encoded: any bytes fit in a URI this way. */
  static String percent(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      int c = x & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
          || c == '.' || c == '_' || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return b.toString();
  }

  /** A cursor the server made, broken in one of the ways clients break them, or a forged one. */
  static String cursor(Random random, String real) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    return switch (random.nextInt(9)) {
      case 0 -> real.substring(0, random.nextInt(real.length()));
      case 1 -> {
        char[] chars = real.toCharArray();
        int i = random.nextInt(chars.length);
        chars[i] = pick(random, 'A', '_', '-', 'z', '0', '=', '+', '/', '.');
        yield new String(chars);
      }
      case 2 -> real + pick(random, "=", "==", "A", "%00", "x".repeat(2000));
      case 3 -> b64.encodeToString(pick(random, "{}", "[]", "null", "{\"t\":\"x\",\"i\":\"a\"}",
          "{\"t\":1e400,\"i\":\"a\"}", "{\"t\":9223372036854775807,\"i\":\"a\"}",
          "{\"t\":-9223372036854775808,\"i\":\"a\"}", "{\"t\":1,\"i\":\"\"}", "{\"t\":1,\"i\":\"a b\"}",
          "{\"t\":1,\"i\":1}", "{\"t\":1.5,\"i\":\"a\"}", "{\"t\":1,\"i\":\"" + "a".repeat(129) + "\"}",
          "{\"t\":1,\"i\":\"a\",\"t\":\"x\"}", "{\"t\":[1],\"i\":[\"a\"]}",
          "{\"t\":1,\"i\":\"00000000-0000-0000-0000-000000000000\"}").getBytes(StandardCharsets.UTF_8));
      case 4 -> {
        byte[] junk = new byte[random.nextInt(64)];
        random.nextBytes(junk);
        yield b64.encodeToString(junk);
      }
      case 5 -> java.util.Base64.getEncoder().encodeToString(
          java.util.Base64.getUrlDecoder().decode(real.replaceAll("[^A-Za-z0-9_-]", "")));
      case 6 -> percent(string(random).getBytes(StandardCharsets.UTF_8));
      case 7 -> "%00" + real;
      default -> real;
    };
  }

  // ---- the tree ----

  private static Object tree(Object json) {
    if (json instanceof JsonObject object) {
      Obj obj = new Obj(new ArrayList<>());
      for (Map.Entry<String, Object> e : object) {
        obj.members().add(new Object[] {e.getKey(), tree(e.getValue())});
      }
      return obj;
    }
    if (json instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      array.forEach(v -> list.add(tree(v)));
      return list;
    }
    return json;
  }

  @SuppressWarnings("unchecked")
  private static void slots(Object node, List<Object[]> slots, List<Obj> objects) {
    if (node instanceof Obj obj) {
      objects.add(obj);
      for (int i = 0; i < obj.members().size(); i++) {
        slots.add(new Object[] {obj, i});
        slots(obj.members().get(i)[1], slots, objects);
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        slots.add(new Object[] {list, i});
        slots(list.get(i), slots, objects);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void set(Object[] slot, Object value) {
    int i = (Integer) slot[1];
    if (slot[0] instanceof Obj obj) {
      obj.members().get(i)[1] = value;
    } else {
      ((List<Object>) slot[0]).set(i, value);
    }
  }

  private static String label(Object[] slot) {
    return slot[0] instanceof Obj obj ? "key " + obj.members().get((Integer) slot[1])[0] : "element " + slot[1];
  }

  private static String describe(Object value) {
    String text = value instanceof Raw raw ? new String(raw.bytes(), StandardCharsets.UTF_8)
        : value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    text = text.replace("\u0000", "\\0");
    return text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + ")" : text;
  }

  private static void write(ByteArrayOutputStream out, Object node) {
    if (node instanceof Raw raw) {
      out.writeBytes(raw.bytes());
    } else if (node instanceof Obj obj) {
      out.write('{');
      for (int i = 0; i < obj.members().size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        write(out, obj.members().get(i)[0]);
        out.write(':');
        write(out, obj.members().get(i)[1]);
      }
      out.write('}');
    } else if (node instanceof List<?> list) {
      out.write('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        write(out, list.get(i));
      }
      out.write(']');
    } else if (node instanceof String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < 0x20) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
      out.writeBytes(b.append('"').toString().getBytes(StandardCharsets.UTF_8));
    } else {
      out.writeBytes(String.valueOf(node).getBytes(StandardCharsets.UTF_8));
    }
  }

  // ---- small helpers ----

  @SafeVarargs
  static <T> T pick(Random random, T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
