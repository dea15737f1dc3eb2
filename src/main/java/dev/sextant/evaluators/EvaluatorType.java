package dev.sextant.evaluators;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The evaluator types of an experiment, by the name the API gives them, with their parameters. */
public enum EvaluatorType {
  EXACT_MATCH("exact_match", List.of()),
  CONTAINS("contains", List.of()),
  REGEX("regex", List.of("pattern")),
  JSON_VALID("json_valid", List.of()),
  NUMERIC_TOLERANCE("numeric_tolerance", List.of("tolerance")),
  LEVENSHTEIN_SIMILARITY("levenshtein_similarity", List.of());

  /** Every type's API name, sorted: what an error lists. */
  public static final Set<String> NAMES = Collections.unmodifiableSortedSet(Arrays.stream(values())
      .map(EvaluatorType::apiName).collect(Collectors.toCollection(TreeSet::new)));

  private final String apiName;
  private final List<String> params;

  EvaluatorType(String apiName, List<String> params) {
    this.apiName = apiName;
    this.params = params;
  }

  /** The name in the API: {@code exact_match}, {@code regex}… */
  public String apiName() {
    return apiName;
  }

  /** The keys its {@code params} may hold; each of them is required. */
  public List<String> params() {
    return params;
  }

  public static Optional<EvaluatorType> fromApiName(String name) {
    return Arrays.stream(values()).filter(t -> t.apiName.equals(name)).findFirst();
  }
}
