package dev.sextant.evaluators;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * 1 when the output is JSON: a string whose whole text parses as one JSON value (strict RFC 8259,
 * as Jackson reads it by default: no comments, no trailing content), or a value that already is
 * JSON (object, array, number, boolean). A null or absent output is 0. Needs no expected output.
 */
final class JsonValid implements Scorer {

  /** Jackson's defaults, thread-safe; its limits (nesting depth 1000…) count as invalid JSON. */
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public Evaluation score(Object output, Object expected, Budget budget) {
    Object value = JsonValues.normalize(output);
    if (value == null) {
      return Evaluation.FAIL;
    }
    return Evaluation.of(!(value instanceof String text) || parses(text));
  }

  static boolean parses(String text) {
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }
}
