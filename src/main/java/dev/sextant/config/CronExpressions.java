package dev.sextant.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/** The one cron dialect of the schedules: Unix, five fields (minute hour day-of-month month weekday). */
final class CronExpressions {

  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private CronExpressions() {}

  /** The validated expression; an {@link IllegalArgumentException} saying what is wrong otherwise. */
  static Cron parse(String expression) {
    return PARSER.parse(expression).validate();
  }
}
