package dev.sextant.otlp;

/**
 * An OTLP/HTTP request body that could not be decoded. The message is written for the client (it
 * becomes the {@code google.rpc.Status} message of a 400): it names what was wrong but never
 * carries a stack, a parser's own text or a Java class name. The parser's exception, when there
 * is one, is kept as the cause for the server log.
 */
public final class OtlpDecodeException extends RuntimeException {

  OtlpDecodeException(String message) {
    super(message);
  }

  OtlpDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
