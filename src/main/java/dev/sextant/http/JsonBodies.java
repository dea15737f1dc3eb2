package dev.sextant.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.RoutingContext;
import dev.sextant.validation.Utf8;
import java.io.IOException;

/** Reads request bodies as JSON within the contract's limits. */
public final class JsonBodies {

  /**
   * A whole body may nest deeper, so that a value nested too deep is refused as a field of its
   * item, not with the whole batch; this bound only keeps parsing cheap.
   */
  public static final int MAX_BODY_NESTING = 1_000;
  public static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_BODY_NESTING).build())
      .build();

  private JsonBodies() {}

  /** The body as a JSON object, or a 400 {@link Problem} saying what is wrong with it. */
  public static JsonObject object(RoutingContext ctx) {
    Buffer body = RequestBody.of(ctx);
    if (body == null || body.length() == 0) {
      throw Problem.badRequest("A JSON object body is required");
    }
    if (parse(body) instanceof JsonObject object) {
      return object;
    }
    throw Problem.badRequest("The request body must be a JSON object");
  }

  /** The body's bytes, or a 400 {@link Problem} when they are not UTF-8 (see {@link Utf8}). */
  public static byte[] utf8(Buffer body) {
    byte[] bytes = body.getBytes();
    if (!Utf8.isValid(bytes)) {
      throw Problem.badRequest("The request body is not valid UTF-8");
    }
    return bytes;
  }

  private static Object parse(Buffer body) {
    try (JsonParser parser = FACTORY.createParser(utf8(body))) {
      return JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      if (e.getCause() instanceof StreamConstraintsException) {
        throw Problem.invalid("body", "JSON nesting is deeper than " + MAX_BODY_NESTING + " levels");
      }
      throw Problem.badRequest("The request body is not valid JSON");
    } catch (IOException e) {
      throw Problem.badRequest("The request body is not valid JSON");
    }
  }
}
