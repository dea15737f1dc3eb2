package dev.sextant.evaluators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.validation.FieldError;
import dev.sextant.validation.InvalidInputException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The evaluators array of an experiment")
class EvaluatorParsingTest {

  @Test
  @DisplayName("absent or empty, it means no evaluators")
  void absentIsNone() {
    assertThat(Evaluators.parse((JsonArray) null)).isEmpty();
    assertThat(Evaluators.parse((Object) null)).isEmpty();
    assertThat(Evaluators.parse(new JsonArray())).isEmpty();
  }

  @Test
  @DisplayName("each of the six types is read with its parameters, in order, and written back as given")
  void everyTypeRoundTrips() {
    JsonArray given = new JsonArray()
        .add(ev("exact", "exact_match"))
        .add(ev("has answer", "contains").put("params", new JsonObject()))
        .add(ev("digits", "regex").put("params", new JsonObject().put("pattern", "\\d+")))
        .add(ev("is json", "json_valid"))
        .add(ev("close", "numeric_tolerance").put("params", new JsonObject().put("tolerance", 0.5)))
        .add(ev("similar", "levenshtein_similarity"));
    List<Evaluator> evaluators = Evaluators.parse(given);
    assertThat(evaluators).extracting(Evaluator::type).containsExactly(EvaluatorType.values());
    assertThat(evaluators).extracting(Evaluator::name)
        .containsExactly("exact", "has answer", "digits", "is json", "close", "similar");
    assertThat(new JsonArray(evaluators.stream().map(Evaluator::toJson).toList())).isEqualTo(given);
    assertThat(evaluators.get(2).params()).isEqualTo(new JsonObject().put("pattern", "\\d+"));
    assertThat(evaluators.get(0).params()).isNull();
  }

  @Test
  @DisplayName("a parsed list (not yet wrapped) is read the same, and a non-array is refused")
  void rawValues() {
    assertThat(Evaluators.parse((Object) List.of(ev("a", "json_valid").getMap()))).hasSize(1);
    assertErrors(() -> Evaluators.parse((Object) "exact_match"),
        new FieldError("evaluators", "must be an array of objects"));
  }

  @Test
  @DisplayName("at most 50 evaluators")
  void tooMany() {
    JsonArray fifty = new JsonArray();
    for (int i = 0; i < 50; i++) {
      fifty.add(ev("e" + i, "contains"));
    }
    assertThat(Evaluators.parse(fifty)).hasSize(50);
    assertErrors(() -> Evaluators.parse(fifty.copy().add(ev("e50", "contains"))),
        new FieldError("evaluators", "must have at most 50 items"));
  }

  @Test
  @DisplayName("each must be an object with a name and a known type")
  void nameAndType() {
    JsonArray given = new JsonArray()
        .add("exact_match")
        .add(new JsonObject().put("type", "contains"))
        .add(ev("", "contains"))
        .add(ev("x".repeat(513), "contains"))
        .add(new JsonObject().put("name", 7).put("type", "contains"))
        .add(new JsonObject().put("name", "no type"))
        .add(ev("bad type", "semantic_similarity"))
        .add(new JsonObject().put("name", "t").put("type", 3));
    assertErrors(() -> Evaluators.parse(given),
        new FieldError("evaluators[0]", "must be an object"),
        new FieldError("evaluators[1].name", "required"),
        new FieldError("evaluators[2].name", "must not be blank"),
        new FieldError("evaluators[3].name", "must be at most 512 characters"),
        new FieldError("evaluators[4].name", "must be a string"),
        new FieldError("evaluators[5].type", "required"),
        new FieldError("evaluators[6].type", "must be one of contains, exact_match, json_valid, "
            + "levenshtein_similarity, numeric_tolerance, regex"),
        new FieldError("evaluators[7].type", "must be one of contains, exact_match, json_valid, "
            + "levenshtein_similarity, numeric_tolerance, regex"));
  }

  @Test
  @DisplayName("a name of 512 characters counted as people count them (emoji) is accepted")
  void longestName() {
    String name = "😀".repeat(512);
    assertThat(Evaluators.parse(new JsonArray().add(ev(name, "contains"))).get(0).name()).isEqualTo(name);
  }

  @Test
  @DisplayName("names are unique within the array: the repeat is named, with the first")
  void duplicateNames() {
    JsonArray given = new JsonArray().add(ev("same", "contains")).add(ev("other", "contains"))
        .add(ev("same", "exact_match"));
    assertErrors(() -> Evaluators.parse(given),
        new FieldError("evaluators[2].name", "must be unique: evaluators[0] has this name too"));
    JsonArray firstInvalid = new JsonArray().add(ev("same", "regex")).add(ev("same", "contains"));
    assertErrors(() -> Evaluators.parse(firstInvalid),
        new FieldError("evaluators[0].params.pattern", "required"),
        new FieldError("evaluators[1].name", "must be unique: evaluators[0] has this name too"));
  }

  @Test
  @DisplayName("an unknown field or parameter is refused, so that a typo shows")
  void unknownKeys() {
    JsonArray given = new JsonArray()
        .add(ev("a", "regex").put("parms", new JsonObject().put("pattern", "x")))
        .add(ev("b", "regex").put("params", new JsonObject().put("pattern", "x").put("flags", "i")))
        .add(ev("c", "exact_match").put("params", new JsonObject().put("ignore_case", true)))
        .add(ev("d", "numeric_tolerance").put("params", new JsonObject().put("tolerence", 1)));
    assertErrors(() -> Evaluators.parse(given),
        new FieldError("evaluators[0].parms", "unknown field: an evaluator has name, type and params"),
        new FieldError("evaluators[0].params.pattern", "required"),
        new FieldError("evaluators[1].params.flags", "unknown parameter: regex takes pattern"),
        new FieldError("evaluators[2].params.ignore_case", "unknown parameter: exact_match takes none"),
        new FieldError("evaluators[3].params.tolerence", "unknown parameter: numeric_tolerance takes tolerance"),
        new FieldError("evaluators[3].params.tolerance", "required"));
  }

  @Test
  @DisplayName("params must be an object")
  void paramsNotObject() {
    assertErrors(() -> Evaluators.parse(new JsonArray().add(ev("a", "regex").put("params", "\\d"))),
        new FieldError("evaluators[0].params", "must be an object"));
  }

  @Test
  @DisplayName("regex needs a pattern: a non-empty string of at most 1000 characters that compiles")
  void regexPattern() {
    JsonArray given = new JsonArray()
        .add(ev("a", "regex"))
        .add(ev("b", "regex").put("params", new JsonObject().put("pattern", 5)))
        .add(ev("c", "regex").put("params", new JsonObject().put("pattern", "")))
        .add(ev("d", "regex").put("params", new JsonObject().put("pattern", "a".repeat(1001))))
        .add(ev("e", "regex").put("params", new JsonObject().put("pattern", "(unclosed")))
        .add(ev("f", "regex").put("params", new JsonObject().put("pattern", "x{2,1}")))
        .add(ev("g", "regex").put("params", new JsonObject().put("pattern", "a\u0000")));
    assertErrors(() -> Evaluators.parse(given),
        new FieldError("evaluators[0].params.pattern", "required"),
        new FieldError("evaluators[1].params.pattern", "must be a string"),
        new FieldError("evaluators[2].params.pattern", "must not be empty"),
        new FieldError("evaluators[3].params.pattern", "must be at most 1000 characters"),
        new FieldError("evaluators[4].params.pattern",
            "must be a valid regular expression: Unclosed group near index 9"),
        new FieldError("evaluators[5].params.pattern",
            "must be a valid regular expression: Illegal repetition range near index 5"),
        new FieldError("evaluators[6].params.pattern", "must not contain NUL characters"));
    assertThat(Evaluators.parse(new JsonArray().add(
        ev("ok", "regex").put("params", new JsonObject().put("pattern", "a".repeat(1000)))))).hasSize(1);
  }

  @Test
  @DisplayName("numeric_tolerance needs a tolerance: a finite number of 0 or more")
  void tolerance() {
    JsonArray given = new JsonArray()
        .add(ev("a", "numeric_tolerance"))
        .add(ev("b", "numeric_tolerance").put("params", new JsonObject().put("tolerance", -0.1)))
        .add(ev("c", "numeric_tolerance").put("params", new JsonObject().put("tolerance", "1")))
        .add(ev("d", "numeric_tolerance").put("params", new JsonObject().put("tolerance", Double.NaN)))
        .add(ev("e", "numeric_tolerance").put("params", new JsonObject()
            .put("tolerance", new java.math.BigInteger("1" + "0".repeat(400)))));
    FieldError bad = new FieldError("", "must be a number of 0 or more");
    assertErrors(() -> Evaluators.parse(given),
        new FieldError("evaluators[0].params.tolerance", "required"),
        new FieldError("evaluators[1].params.tolerance", bad.message()),
        new FieldError("evaluators[2].params.tolerance", bad.message()),
        new FieldError("evaluators[3].params.tolerance", bad.message()),
        new FieldError("evaluators[4].params.tolerance", bad.message()));
    assertThat(Evaluators.parse(new JsonArray().add(
        ev("zero", "numeric_tolerance").put("params", new JsonObject().put("tolerance", 0))))).hasSize(1);
  }

  @Test
  @DisplayName("the errors of every evaluator come together, valid ones among them untouched")
  void everyErrorAtOnce() {
    JsonArray given = new JsonArray()
        .add(ev("fine", "contains"))
        .add(new JsonObject().put("type", "regex").put("params", new JsonObject().put("pattern", "(")))
        .add(ev("fine", "numeric_tolerance").put("params", new JsonObject().put("tolerance", -1)));
    InvalidInputException e = catchInvalid(() -> Evaluators.parse(given));
    assertThat(e.errors()).extracting(FieldError::field).containsExactly(
        "evaluators[1].name", "evaluators[1].params.pattern", "evaluators[2].params.tolerance",
        "evaluators[2].name");
  }

  private static JsonObject ev(String name, String type) {
    return new JsonObject().put("name", name).put("type", type);
  }

  private static void assertErrors(Runnable parse, FieldError... expected) {
    assertThat(catchInvalid(parse).errors()).containsExactly(expected);
  }

  private static InvalidInputException catchInvalid(Runnable parse) {
    assertThatThrownBy(parse::run).isInstanceOf(InvalidInputException.class);
    try {
      parse.run();
      throw new AssertionError("unreachable");
    } catch (InvalidInputException e) {
      return e;
    }
  }
}
