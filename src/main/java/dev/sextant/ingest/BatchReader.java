package dev.sextant.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sextant.http.JsonBodies;
import dev.sextant.validation.RawJson;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ingest body {@code {"batch":[{"type":…,"body":{…}},…]}} in one pass over its bytes. The
 * JSON-valued fields of a body ({@code input}, {@code output}, {@code metadata},
 * {@code attributes}) are kept as the text the client sent ({@link RawJson}) instead of being built
 * into maps and written out again for PostgreSQL: at a hundred spans a batch, that was the larger
 * part of reading one. Every other value is read as {@link JsonObject} would hold it, so items are
 * validated exactly as before.
 *
 * <p>Anything but that shape (not an object, no batch array, an item that is not an object, over
 * {@value IngestService#MAX_ITEMS} items, invalid JSON) gives null: the caller then reads the body
 * the general way, which says what is wrong.
 */
final class BatchReader {

  private static final Set<String> RAW_FIELDS = Set.of("input", "output", "metadata", "attributes");
  /** A span body has 17 fields: room for them without growing the map. */
  private static final int BODY_CAPACITY = 32;

  private BatchReader() {}

  /** The batch's items, or null when the body is not a well-formed batch envelope. */
  static JsonArray read(byte[] body) {
    try (JsonParser parser = JsonBodies.FACTORY.createParser(body)) {
      JsonArray batch = null;
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
        JsonToken value = parser.nextToken();
        if (!field.equals("batch")) {
          parser.skipChildren();
        } else if (batch != null || value != JsonToken.START_ARRAY) {
          return null;
        } else {
          batch = items(parser, body);
          if (batch == null) {
            return null;
          }
        }
      }
      return parser.nextToken() == null ? batch : null;
    } catch (IOException | RuntimeException e) {
      return null; // not valid JSON, too deep, …: the general reader reports it
    }
  }

  private static JsonArray items(JsonParser parser, byte[] source) throws IOException {
    List<Object> items = new ArrayList<>();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token != JsonToken.START_OBJECT || items.size() == IngestService.MAX_ITEMS) {
        return null;
      }
      Map<String, Object> item = new LinkedHashMap<>();
      for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
        JsonToken value = parser.nextToken();
        item.put(field, field.equals("body") && value == JsonToken.START_OBJECT
            ? new JsonObject(body(parser, source))
            : any(parser));
      }
      items.add(new JsonObject(item));
    }
    return new JsonArray(items);
  }

  private static Map<String, Object> body(JsonParser parser, byte[] source) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>(BODY_CAPACITY);
    for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
      JsonToken value = parser.nextToken();
      boolean raw = RAW_FIELDS.contains(field)
          && (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY);
      body.put(field, raw ? raw(parser, source) : any(parser));
    }
    return body;
  }

  /**
   * The object or array starting at the current token, as sent; read into maps and lists instead
   * when it escapes a UTF-16 surrogate, which PostgreSQL refuses as an escape but takes once
   * written out again.
   */
  private static Object raw(JsonParser parser, byte[] source) throws IOException {
    int start = (int) parser.currentTokenLocation().getByteOffset();
    boolean finite = true;
    int depth = 1;
    int maxDepth = 1;
    while (depth > 0) {
      JsonToken token = parser.nextToken();
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        maxDepth = Math.max(maxDepth, ++depth);
      } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
        depth--;
      } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
        // as JsonObject would read it: too large for a double is infinite, which JSON cannot store
        finite &= Double.isFinite(parser.getDoubleValue());
      }
    }
    int end = (int) parser.currentLocation().getByteOffset();
    String text = new String(source, start, end - start, StandardCharsets.UTF_8);
    if (text.contains("\\ud") || text.contains("\\uD")) {
      return Json.decodeValue(text);
    }
    return RawJson.of(text, maxDepth, finite);
  }

  /** Any value, as {@link JsonObject} holds it once parsed: maps, lists, numbers, strings. */
  private static Object any(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
          parser.nextToken();
          map.put(field, any(parser));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(any(parser));
        }
        return list;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return parser.getNumberValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      default -> {
        return null;
      }
    }
  }
}
