package dev.sextant.http;

import dev.sextant.validation.FieldError;
import java.util.List;
import java.util.Map;

/**
 * A failure a client can act on, rendered as RFC 9457 {@code application/problem+json} by
 * {@link ProblemHandler}. It carries no stack trace: it is an answer, not a bug.
 */
public final class Problem extends RuntimeException {

  private final int status;
  private final String type;
  private final List<FieldError> errors;
  private final Map<String, String> headers;

  public Problem(int status, String type, String detail, List<FieldError> errors,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
  }

  public static Problem of(int status, String detail) {
    return new Problem(status, "about:blank", detail, List.of(), Map.of());
  }

  /** A 400 naming {@code field} and what is wrong with it. */
  public static Problem invalid(String field, String message) {
    return validation(List.of(new FieldError(field, message)));
  }

  public static Problem validation(List<FieldError> errors) {
    String detail = errors.size() == 1
        ? errors.get(0).field() + ": " + errors.get(0).message()
        : errors.size() + " fields are invalid";
    return new Problem(400, "urn:sextant:problem:validation", detail, errors, Map.of());
  }

  public static Problem badRequest(String detail) {
    return of(400, detail);
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "about:blank", detail, List.of(), Map.of("WWW-Authenticate", "Bearer"));
  }

  public static Problem notFound(String detail) {
    return of(404, detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "urn:sextant:problem:conflict", detail, List.of(), Map.of());
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String detail() {
    return getMessage();
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
