package dev.sextant.validation;

/** One invalid input field: {@code field} is a dotted path into the request, e.g. {@code span.trace_id}. */
public record FieldError(String field, String message) {}
