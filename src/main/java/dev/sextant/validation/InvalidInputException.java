package dev.sextant.validation;

import java.util.List;

/**
 * Input that fails validation, with every field that is wrong. The HTTP layer answers it as a 400
 * problem naming each field; it carries no stack trace, since it is an answer, not a bug.
 */
public final class InvalidInputException extends RuntimeException {

  private final List<FieldError> errors;

  public InvalidInputException(List<FieldError> errors) {
    super(summary(errors), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public static InvalidInputException of(String field, String message) {
    return new InvalidInputException(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String summary(List<FieldError> errors) {
    return errors.size() == 1
        ? errors.get(0).field() + ": " + errors.get(0).message()
        : errors.size() + " fields are invalid";
  }
}
