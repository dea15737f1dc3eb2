package dev.sextant.experiments;

import dev.sextant.auth.Authenticator;
import dev.sextant.common.Ids;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.JsonBodies;
import dev.sextant.http.Problem;
import dev.sextant.http.QueryParams;
import dev.sextant.http.Responses;
import dev.sextant.http.Routes;
import dev.sextant.validation.FieldError;
import dev.sextant.validation.InvalidInputException;
import dev.sextant.validation.Validator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Datasets and their items (API.md section 6): datasets named uniquely per project, items upserted
 * by id up to {@value #MAX_ITEMS} a request, both listed with keyset pages. Everything is scoped to
 * the key's project: another project's dataset is not found.
 */
public final class DatasetRoutes implements Routes {

  static final int MAX_ITEMS = 1000;
  static final String NO_DATASET = "No such dataset";

  private final DatasetRepository datasets;
  private final Authenticator auth;

  public DatasetRoutes(Pool pool, Authenticator auth) {
    this.datasets = new DatasetRepository(pool);
    this.auth = auth;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/datasets").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::createDataset));
    router.get("/api/v1/datasets").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::listDatasets));
    router.get("/api/v1/datasets/:id").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::getDataset));
    router.post("/api/v1/datasets/:id/items").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::upsertItems));
    router.get("/api/v1/datasets/:id/items").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::listItems));
  }

  private Future<?> createDataset(RoutingContext ctx) {
    Validator v = new Validator(JsonBodies.object(ctx));
    String name = v.requiredString("name", Validator.MAX_NAME);
    String description = v.optionalString("description", Validator.MAX_TEXT);
    v.validate();
    return datasets.create(Ids.newUuid(), projectId(ctx), name, description)
        .recover(failure -> Future.failedFuture(failure instanceof DatasetRepository.NameTaken
            ? Problem.conflict("The project has a dataset named " + name + " already") : failure))
        .compose(dataset -> Responses.json(ctx, 201, DatasetJson.dataset(dataset)));
  }

  private Future<?> listDatasets(RoutingContext ctx) {
    return datasets.list(projectId(ctx), QueryParams.uuidCursor(ctx), QueryParams.limit(ctx))
        .compose(page -> Responses.page(ctx, page, DatasetJson::dataset));
  }

  private Future<?> getDataset(RoutingContext ctx) {
    return datasets.find(projectId(ctx), datasetId(ctx))
        .compose(dataset -> dataset == null ? Future.failedFuture(Problem.notFound(NO_DATASET))
            : Responses.json(ctx, 200, DatasetJson.dataset(dataset)));
  }

  private Future<?> upsertItems(RoutingContext ctx) {
    UUID datasetId = datasetId(ctx);
    List<String> ids = new ArrayList<>();
    List<DatasetItem.Draft> items = distinct(readItems(JsonBodies.object(ctx), ids));
    return datasets.upsertItems(projectId(ctx), datasetId, items)
        .compose(count -> count == null ? Future.failedFuture(Problem.notFound(NO_DATASET))
            : Responses.json(ctx, 201, new JsonObject().put("ids", new JsonArray(ids))));
  }

  private Future<?> listItems(RoutingContext ctx) {
    UUID datasetId = datasetId(ctx);
    return datasets.items(projectId(ctx), datasetId, QueryParams.cursor(ctx), QueryParams.limit(ctx))
        .compose(page -> page == null ? Future.failedFuture(Problem.notFound(NO_DATASET))
            : Responses.page(ctx, page, DatasetJson::item));
  }

  /**
   * The items of {@code {"items":[…]}}, every field checked (all errors at once, each named
   * {@code items[i].field}); an item without an id gets a new UUIDv7. Each item's id is added to
   * {@code ids}, in the request's order.
   */
  private static List<DatasetItem.Draft> readItems(JsonObject body, List<String> ids) {
    JsonArray array = Validator.requiredArray(body, "items", MAX_ITEMS);
    List<DatasetItem.Draft> items = new ArrayList<>(array.size());
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String prefix = "items[" + i + "].";
      if (!(array.getValue(i) instanceof JsonObject item)) {
        errors.add(new FieldError("items[" + i + "]", "must be an object"));
        continue;
      }
      Validator v = new Validator(item, prefix);
      String id = v.optionalClientId("id");
      String input = v.optionalJson("input");
      v.check(item.getValue("input") != null, "input", "required");
      String expected = v.optionalJson("expected_output");
      String metadata = v.optionalObjectJson("metadata");
      errors.addAll(v.errors());
      if (!v.hasErrors()) {
        id = id != null ? id : Ids.newUuid().toString();
        ids.add(id);
        items.add(new DatasetItem.Draft(id, input, expected, metadata));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return items;
  }

  /** One draft per id, the last one sent winning, as if the items had come one after the other. */
  private static List<DatasetItem.Draft> distinct(List<DatasetItem.Draft> items) {
    Map<String, DatasetItem.Draft> byId = new LinkedHashMap<>();
    for (DatasetItem.Draft item : items) {
      byId.remove(item.id());
      byId.put(item.id(), item);
    }
    return List.copyOf(byId.values());
  }

  /** The id in the path; one that no dataset could have is simply not found. */
  private static UUID datasetId(RoutingContext ctx) {
    UUID id = Ids.parseUuid(ctx.pathParam("id"));
    if (id == null) {
      throw Problem.notFound(NO_DATASET);
    }
    return id;
  }

  private static UUID projectId(RoutingContext ctx) {
    return Authenticator.project(ctx).projectId();
  }
}
