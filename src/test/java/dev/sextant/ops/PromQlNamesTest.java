package dev.sextant.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Metric names read out of PromQL")
class PromQlNamesTest {

  @Test
  @DisplayName("are the selectors' names, not functions, keywords, labels, strings, numbers or durations")
  void selectorsOnly() {
    assertThat(PromQlNames.of("""
        sum by (job, route) (rate(http_requests_total{code=~"5..", route!~"/health/.*"}[5m] offset 1h))
          / on (job) group_left (route) sum without (le) (irate(other_total[1h:5m]))
        > bool (14.4 * 0.001) and up == 0 or round(x:recorded:ratio * 1e6) unless nan"""))
        .containsExactlyInAnyOrder("http_requests_total", "other_total", "up", "x:recorded:ratio");
    assertThat(PromQlNames.of(
        "label_replace(rate(a_bucket{le=\"0.2\"}[5m]), \"route_group\", \"$1\", \"route\", \"/api/v1/([^/]+).*\")"))
        .containsExactly("a_bucket");
  }

  @Test
  @DisplayName("skip Grafana's variables")
  void grafanaVariables() {
    assertThat(PromQlNames.of(
        "histogram_quantile(0.99, sum by (le) (rate(b_seconds_bucket{job=\"$job\", instance=~\"${instance}\"}[$__rate_interval])))"))
        .containsExactly("b_seconds_bucket");
    assertThat(PromQlNames.of("label_values(up{job=\"$job\"}, instance)")).containsExactly("up");
  }
}
