package dev.sextant.modelconfigs;

import dev.sextant.auth.Authenticator;
import dev.sextant.cache.CachedBody;
import dev.sextant.cache.ResponseCache;
import dev.sextant.common.Digests;
import dev.sextant.common.Page;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.JsonBodies;
import dev.sextant.http.Problem;
import dev.sextant.http.Responses;
import dev.sextant.http.Routes;
import dev.sextant.validation.Validator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Versioned model configs (API.md section 7): immutable versions 1, 2, … per name, and labels
 * that point at one version each and move. Every read is scoped to the key's project. Reads of one
 * config, which SDKs poll, are cached in Redis under the project's model-config generation
 * ({@link ResponseCache}); every create and label move bumps it before answering, so the next read
 * on every instance sees the change.
 */
public final class ModelConfigRoutes implements Routes {

  static final int MAX_LABELS = 50;
  static final int MAX_LABEL = 200;
  static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LABEL + "}");
  static final int MAX_PROMPT_TEMPLATE = 100_000;

  private static final String NO_CONFIG = "No such model config";
  private static final String LABEL_SHAPE = "must match [A-Za-z0-9._-]{1," + MAX_LABEL + "}";

  /** The cache of config reads, and the generation family that versions them. */
  static final String CACHE = "model_config";

  private final ModelConfigRepository configs;
  private final Authenticator auth;
  private final ResponseCache cache;
  private final int ttlSeconds;

  public ModelConfigRoutes(Pool pool, Authenticator auth, ResponseCache cache, int ttlSeconds) {
    this.configs = new ModelConfigRepository(pool);
    this.auth = auth;
    this.cache = cache;
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/v1/model-configs").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::createConfig));
    router.get("/api/v1/model-configs").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::listConfigs));
    router.get("/api/v1/model-configs/:name").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::getConfig));
    router.get("/api/v1/model-configs/:name/versions").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::listVersions));
    router.put("/api/v1/model-configs/:name/labels/:label").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::moveLabel));
  }

  private Future<?> createConfig(RoutingContext ctx) {
    Validator v = new Validator(JsonBodies.object(ctx));
    String name = v.requiredString("name", Validator.MAX_NAME);
    String provider = v.requiredString("provider", Validator.MAX_NAME);
    String model = v.requiredString("model", Validator.MAX_NAME);
    JsonObject parameters = v.optionalObject("parameters");
    String promptTemplate = v.optionalString("prompt_template", MAX_PROMPT_TEMPLATE);
    List<String> labels = v.optionalStringArray("labels", MAX_LABELS, MAX_LABEL);
    if (labels != null) {
      v.check(labels.stream().allMatch(l -> LABEL.matcher(l).matches()), "labels", LABEL_SHAPE);
    }
    v.validate();
    ModelConfig.Draft draft = new ModelConfig.Draft(name, provider, model,
        parameters == null ? new JsonObject() : parameters, promptTemplate,
        labels == null ? List.of() : labels.stream().distinct().sorted().toList());
    UUID project = projectId(ctx);
    return configs.create(project, draft)
        .compose(config -> cache.invalidate(CACHE, project)
            .compose(invalidated -> Responses.json(ctx, 201, ModelConfigJson.config(config))));
  }

  private Future<?> listConfigs(RoutingContext ctx) {
    return configs.newestOfEach(projectId(ctx))
        .compose(list -> Responses.page(ctx, Page.all(list), ModelConfigJson::config));
  }

  private Future<?> getConfig(RoutingContext ctx) {
    String name = name(ctx);
    String versionParam = ctx.queryParams().get("version");
    String label = ctx.queryParams().get("label");
    if (versionParam != null && label != null) {
      throw Problem.invalid("label", "cannot be given together with version");
    }
    UUID project = projectId(ctx);
    Supplier<Future<ModelConfig>> read;
    String key;
    if (versionParam != null) {
      int version = version(versionParam);
      read = () -> configs.version(project, name, version);
      key = "v" + version;
    } else if (label != null) {
      read = () -> LABEL.matcher(label).matches() ? configs.labelled(project, name, label)
          : Future.succeededFuture(null);
      key = "l" + label;
    } else {
      read = () -> configs.newest(project, name);
      key = "n";
    }
    // the name last: it may hold any character, the kind and version or label cannot hold '/'
    return cache.getOrLoad(CACHE, CACHE, project, key + "/" + name, ttlSeconds,
            () -> read.get().map(config -> config == null ? null : ModelConfigJson.config(config).encode()))
        .compose(body -> body == null
            ? Future.failedFuture(Problem.notFound(NO_CONFIG))
            : conditional(ctx, body));
  }

  private Future<?> listVersions(RoutingContext ctx) {
    return configs.versions(projectId(ctx), name(ctx))
        .compose(list -> list.isEmpty()
            ? Future.failedFuture(Problem.notFound(NO_CONFIG))
            : Responses.page(ctx, Page.all(list), ModelConfigJson::config));
  }

  private Future<?> moveLabel(RoutingContext ctx) {
    String name = name(ctx);
    String label = ctx.pathParam("label");
    JsonObject body = JsonBodies.object(ctx);
    Validator v = new Validator(body);
    if (!LABEL.matcher(label).matches()) {
      v.error("label", LABEL_SHAPE);
    }
    Integer version = v.optionalInt("version", 1, Integer.MAX_VALUE);
    v.check(body.getValue("version") != null, "version", "required");
    v.validate();
    UUID project = projectId(ctx);
    return configs.moveLabel(project, name, label, version)
        .compose(config -> config == null
            ? Future.failedFuture(Problem.notFound(NO_CONFIG + " version"))
            : cache.invalidate(CACHE, project)
                .compose(invalidated -> Responses.json(ctx, 200, ModelConfigJson.config(config))));
  }

  /**
   * The answer with its strong ETag, or 304 without a body when {@code If-None-Match} names it.
   * The tag is a digest of the answer as cached, which holds the labels: it stays the same while a
   * version and its labels do, and changes when a label moves to or from it.
   */
  private static Future<Void> conditional(RoutingContext ctx, CachedBody body) {
    String etag = etag(body);
    ctx.response().putHeader("ETag", etag).putHeader("Cache-Control", "no-cache");
    if (matches(ctx.request().getHeader("If-None-Match"), etag)) {
      return ctx.response().setStatusCode(304).end();
    }
    return Responses.json(ctx, 200, body);
  }

  /**
   * A digest of the answer's bytes as kept (compressed when large: the same text always compresses
   * to the same bytes), so a cache hit is tagged without being decompressed.
   */
  static String etag(CachedBody body) {
    byte[] digest = Digests.sha256(body.bytes().getBytes());
    return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
  }

  /** Whether an {@code If-None-Match} list names the tag (weak comparison, as RFC 9110 says), or is {@code *}. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static int version(String raw) {
    try {
      int version = Integer.parseInt(raw.trim());
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Problem.invalid("version", "must be an integer from 1 to " + Integer.MAX_VALUE);
  }

  /** The name in the path; one that no config could have is simply not found. */
  private static String name(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (name == null || name.isBlank() || Validator.longerThan(name, Validator.MAX_NAME)
        || Validator.textProblem(name) != null) {
      throw Problem.notFound(NO_CONFIG);
    }
    return name;
  }

  private static UUID projectId(RoutingContext ctx) {
    return Authenticator.project(ctx).projectId();
  }
}
