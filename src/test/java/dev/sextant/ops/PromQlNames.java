package dev.sextant.ops;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: identifiers outside label matchers ({@code {…}}),
 * ranges ({@code […]}) and label lists ({@code by (…)}, {@code on (…)}…), that are not followed by
 * {@code (} (functions) and are not keywords. Strings, numbers, durations and Grafana variables
 * ({@code $job}, {@code ${x}}, {@code $__rate_interval}) are skipped, and so is the label of a
 * Grafana variable query {@code label_values(selector, label)}.
 */
final class PromQlNames {

  private static final Pattern TOKEN = Pattern.compile(String.join("|",
      "\"(?:[^\"\\\\]|\\\\.)*\"", "'(?:[^'\\\\]|\\\\.)*'", "`[^`]*`",
      "\\$\\{[^}]*\\}", "\\$[A-Za-z_][A-Za-z0-9_]*",
      "(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?(?:ms|[smhdwy])*",
      "[a-zA-Z_:][a-zA-Z0-9_:]*",
      "[{}()\\[\\]]"));
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$", Pattern.DOTALL);

  /** Followed by a parenthesised list of label names. */
  private static final Set<String> LABEL_LISTS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  /** Operators, modifiers, aggregations (which may be followed by {@code by} before their parenthesis). */
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2",
      "inf", "nan", "start", "end", "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
      "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

  private PromQlNames() {}

  /** The selector of Grafana's {@code label_values(selector, label)}; any other query as it is. */
  static String withoutLabelValues(String query) {
    Matcher labelValues = LABEL_VALUES.matcher(query);
    return labelValues.matches() ? labelValues.group(1) : query;
  }

  static Set<String> of(String expression) {
    String promql = withoutLabelValues(expression);
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(promql);
    while (m.find()) {
      tokens.add(m.group());
    }
    Set<String> names = new LinkedHashSet<>();
    int braces = 0;
    int brackets = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      switch (token) {
        case "{" -> braces++;
        case "}" -> braces--;
        case "[" -> brackets++;
        case "]" -> brackets--;
        default -> {
          if (braces > 0 || brackets > 0 || !NAME.matcher(token).matches()) {
            continue;
          }
          boolean call = i + 1 < tokens.size() && tokens.get(i + 1).equals("(");
          if (LABEL_LISTS.contains(token)) {
            if (call) {
              i = closing(tokens, i + 1);
            }
          } else if (!call && !KEYWORDS.contains(token)) {
            names.add(token);
          }
        }
      }
    }
    return names;
  }

  /** The index of the parenthesis closing the one at {@code open}. */
  private static int closing(List<String> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      depth += tokens.get(i).equals("(") ? 1 : tokens.get(i).equals(")") ? -1 : 0;
      if (depth == 0) {
        return i;
      }
    }
    return tokens.size() - 1;
  }
}
