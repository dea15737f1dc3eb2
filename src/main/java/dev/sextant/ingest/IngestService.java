package dev.sextant.ingest;

import dev.sextant.cache.ResponseCache;
import dev.sextant.common.Ids;
import dev.sextant.http.Problem;
import dev.sextant.validation.Validator;
import dev.sextant.ingest.Writes.ScoreWrite;
import dev.sextant.ingest.Writes.SpanWrite;
import dev.sextant.ingest.Writes.TraceWrite;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Ingests a batch of trace, span and score items for one project: each item is validated on its
 * own (one bad item never rejects the others), the valid ones are written in one transaction, and
 * every item gets its own result. An item is reported 201 only once its transaction has committed.
 * Both {@code /api/v1/ingest} and OTLP go through here.
 */
public final class IngestService {

  public static final int MAX_ITEMS = 1000;

  /** One item's outcome: 201 with its id, or 400 with what is wrong. */
  public record ItemResult(int index, String type, String id, int status, String error) {

    /**
     * Appends this result as JSON: {@code index}, {@code id} unless unknown, {@code status},
     * {@code error} if any. Ids are client ids ({@code [A-Za-z0-9._:-]}) or UUIDs, which need no
     * escaping (anything else is escaped).
     */
    public void appendJson(StringBuilder json) {
      json.append("{\"index\":").append(index);
      if (id != null && Ids.isValidClientId(id)) {
        json.append(",\"id\":\"").append(id).append('"');
      } else if (id != null) {
        json.append(",\"id\":").append(Json.encode(id));
      }
      json.append(",\"status\":").append(status);
      if (error != null) {
        json.append(",\"error\":").append(Json.encode(error));
      }
      json.append('}');
    }
  }

  private static final List<String> TYPES = ItemParser.types();
  private static final String NEW_SCORE_NEEDS =
      "score.id: no score has this id, and a new one needs trace_id, name and value";

  private final IngestRepository repository;
  private final ResponseCache cache;
  private final Consumer<UUID> afterWrite;
  /** Items by outcome, indexed like {@link #TYPES}. */
  private final Counter[] accepted = new Counter[TYPES.size()];
  private final Counter[] rejected = new Counter[TYPES.size()];

  public IngestService(Pool pool, MeterRegistry registry, ResponseCache cache) {
    this(pool, registry, cache, project -> { });
  }

  /** {@code afterWrite} is told the project of every committed write (the dashboard roll-ups). */
  public IngestService(Pool pool, MeterRegistry registry, ResponseCache cache,
      Consumer<UUID> afterWrite) {
    this.repository = new IngestRepository(pool);
    this.cache = cache;
    this.afterWrite = afterWrite;
    for (int type = 0; type < TYPES.size(); type++) {
      accepted[type] = itemCounter(registry, TYPES.get(type), "accepted");
      rejected[type] = itemCounter(registry, TYPES.get(type), "rejected");
    }
  }

  private static Counter itemCounter(MeterRegistry registry, String type, String outcome) {
    return Counter.builder("sextant.ingest.items").description("Ingested items by type and outcome")
        .tag("type", type).tag("outcome", outcome).register(registry);
  }

  /** Validates the envelope {@code {"batch":[…]}}: a 400 for the whole request when it is wrong. */
  public static JsonArray batchOf(JsonObject body) {
    Object batch = body.getValue("batch");
    if (!(batch instanceof JsonArray array)) {
      throw Problem.invalid("batch", batch == null ? "required" : "must be an array");
    }
    if (array.size() > MAX_ITEMS) {
      throw Problem.invalid("batch", "must have at most " + MAX_ITEMS + " items");
    }
    return array;
  }

  public Future<List<ItemResult>> ingest(UUID projectId, JsonArray batch) {
    List<ItemResult> results = new ArrayList<>(batch.size());
    // one write per id: a batch may carry the same item twice, the later winning field by field
    Map<String, TraceWrite> traces = new LinkedHashMap<>();
    Map<String, SpanWrite> spans = new LinkedHashMap<>();
    Map<String, ScoreWrite> scores = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      results.add(parse(i, batch.getValue(i), traces, spans, scores));
    }
    if (traces.isEmpty() && spans.isEmpty() && scores.isEmpty()) {
      return Future.succeededFuture(count(results));
    }
    // cached answers of the project are retired before the write is acknowledged: read-your-writes
    return repository.write(projectId, traces.values(), spans.values(), scores.values())
        .andThen(written -> {
          if (written.succeeded()) {
            afterWrite.accept(projectId);
          }
        })
        .compose(missing -> cache.invalidate(projectId).map(missing))
        .map(missing -> count(refuseMissingScores(results, missing)));
  }

  /** Score items that could only update a score, of ids no score has: the rest of the batch stands. */
  private static List<ItemResult> refuseMissingScores(List<ItemResult> results, Set<String> missing) {
    if (missing.isEmpty()) {
      return results;
    }
    return results.stream()
        .map(r -> r.status() == 201 && "score".equals(r.type()) && missing.contains(r.id())
            ? new ItemResult(r.index(), r.type(), r.id(), 400, NEW_SCORE_NEEDS)
            : r)
        .toList();
  }

  /**
   * Ingests any number of items (an OTLP export is not bounded by the 1000-item batch limit) as
   * consecutive batches of {@link #MAX_ITEMS}, each in its own transaction. If one fails, the
   * request fails; the batches before it stay committed, which a retry simply upserts again.
   */
  public Future<List<ItemResult>> ingestInChunks(UUID projectId, List<JsonObject> items) {
    List<ItemResult> all = new ArrayList<>(items.size());
    Future<Void> chain = Future.succeededFuture();
    for (int start = 0; start < Math.max(items.size(), 1); start += MAX_ITEMS) {
      int offset = start;
      JsonArray chunk = new JsonArray(new ArrayList<>(items.subList(start, Math.min(items.size(), start + MAX_ITEMS))));
      chain = chain.compose(v -> ingest(projectId, chunk).map(results -> {
        results.forEach(r -> all.add(new ItemResult(r.index() + offset, r.type(), r.id(), r.status(), r.error())));
        return null;
      }));
    }
    return chain.map(v -> all);
  }

  private static ItemResult parse(int index, Object item, Map<String, TraceWrite> traces,
      Map<String, SpanWrite> spans, Map<String, ScoreWrite> scores) {
    if (!(item instanceof JsonObject object)) {
      return new ItemResult(index, null, null, 400, "item: must be an object");
    }
    Object type = object.getValue("type");
    if (!(type instanceof String t) || !ItemParser.types().contains(t)) {
      return new ItemResult(index, null, null, 400, "type: must be one of trace, span, score");
    }
    if (!(object.getValue("body") instanceof JsonObject body)) {
      return new ItemResult(index, t, null, 400, t + ".body: must be an object");
    }
    Validator v = new Validator(body, t + ".");
    String id;
    switch (t) {
      case "trace" -> {
        TraceWrite w = ItemParser.trace(body, v);
        id = w.id();
        if (!v.hasErrors()) {
          traces.merge(w.id(), w, TraceWrite::then);
        }
      }
      case "span" -> {
        SpanWrite w = ItemParser.span(body, v);
        id = w.id();
        if (!v.hasErrors()) {
          spans.merge(w.traceId() + "\n" + w.id(), w, SpanWrite::then);
        }
      }
      default -> {
        ScoreWrite w = ItemParser.score(body, v);
        id = w.id();
        if (!v.hasErrors()) {
          scores.merge(w.id(), w, ScoreWrite::then);
        }
      }
    }
    return v.hasErrors()
        ? new ItemResult(index, t, id, 400, v.summary())
        : new ItemResult(index, t, id, 201, null);
  }

  private List<ItemResult> count(List<ItemResult> results) {
    int[] accepted = new int[TYPES.size()];
    int[] rejected = new int[TYPES.size()];
    for (ItemResult r : results) {
      int type = r.type() == null ? -1 : TYPES.indexOf(r.type());
      if (type >= 0) {
        (r.status() == 201 ? accepted : rejected)[type]++;
      }
    }
    for (int type = 0; type < TYPES.size(); type++) {
      if (accepted[type] > 0) {
        this.accepted[type].increment(accepted[type]);
      }
      if (rejected[type] > 0) {
        this.rejected[type].increment(rejected[type]);
      }
    }
    return results;
  }

}
