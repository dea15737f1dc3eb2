package dev.sextant.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How experiment b scored against a under one score name, over the items both scored under it:
 * means (null when there is no such item) and how many items b scored higher, lower or the same.
 */
record Comparison(String name, long common, Double meanA, Double meanB, long improved,
    long regressed, long unchanged) {

  static Comparison none(String name) {
    return new Comparison(name, 0, null, null, 0, 0, 0);
  }

  /**
   * {@code compared} (the names both scored on common items) completed with every other score name
   * of either experiment's totals, compared over no item, sorted by name.
   */
  static List<Comparison> everyName(List<Comparison> compared, ResultTotals a, ResultTotals b) {
    Map<String, Comparison> byName = new TreeMap<>();
    a.scores().keySet().forEach(name -> byName.put(name, none(name)));
    b.scores().keySet().forEach(name -> byName.put(name, none(name)));
    compared.forEach(c -> byName.put(c.name(), c));
    return new ArrayList<>(byName.values());
  }

  Double delta() {
    return meanA == null || meanB == null ? null : meanB - meanA;
  }
}
