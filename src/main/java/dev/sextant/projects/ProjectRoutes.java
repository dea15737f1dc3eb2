package dev.sextant.projects;

import dev.sextant.http.Routes;
import dev.sextant.auth.ApiKeyService;
import dev.sextant.auth.AuthJson;
import dev.sextant.auth.Authenticator;
import dev.sextant.auth.Principal;
import dev.sextant.common.Ids;
import dev.sextant.common.Page;
import dev.sextant.http.AsyncHandler;
import dev.sextant.http.JsonBodies;
import dev.sextant.http.Problem;
import dev.sextant.http.Responses;
import dev.sextant.validation.Validator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.UUID;

/**
 * Projects, their API keys, and the account view {@code /me} (API.md section 3). A project someone
 * does not belong to answers 404, exactly like one that does not exist.
 */
public final class ProjectRoutes implements Routes {

  private static final int DEFAULT_RETENTION_DAYS = 30;
  private static final String NO_PROJECT = "No such project";

  private final ProjectRepository projects;
  private final ApiKeyService apiKeys;
  private final Authenticator auth;

  public ProjectRoutes(Pool pool, Authenticator auth, ApiKeyService apiKeys) {
    this.projects = new ProjectRepository(pool);
    this.apiKeys = apiKeys;
    this.auth = auth;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/v1/me").handler(auth.requireSession()).handler(AsyncHandler.of(this::getMe));
    router.post("/api/v1/projects").handler(auth.requireSession())
        .handler(AsyncHandler.of(this::createProject));
    router.get("/api/v1/projects").handler(auth.requireSession())
        .handler(AsyncHandler.of(this::listProjects));
    router.post("/api/v1/projects/:id/api-keys").handler(auth.requireSession())
        .handler(AsyncHandler.of(this::createApiKey));
    router.get("/api/v1/projects/:id/api-keys").handler(auth.requireSession())
        .handler(AsyncHandler.of(this::listApiKeys));
    router.delete("/api/v1/projects/:id/api-keys/:keyId").handler(auth.requireSession())
        .handler(AsyncHandler.of(this::revokeApiKey));
    router.get("/api/v1/project").handler(auth.requireApiKey())
        .handler(AsyncHandler.of(this::getKeyProject));
  }

  private Future<?> getMe(RoutingContext ctx) {
    Principal.User user = Authenticator.user(ctx);
    return projects.listForUser(user.id()).compose(list -> {
      JsonArray summaries = new JsonArray();
      list.forEach(membership -> summaries.add(ProjectJson.summary(membership)));
      return Responses.json(ctx, 200, AuthJson.user(user).put("projects", summaries));
    });
  }

  private Future<?> createProject(RoutingContext ctx) {
    Validator v = new Validator(JsonBodies.object(ctx));
    String name = v.requiredString("name", Validator.MAX_NAME);
    Integer retention = v.optionalInt("retention_days", 1, 3650);
    v.validate();
    return projects.create(Ids.newUuid(), name.trim(),
            retention == null ? DEFAULT_RETENTION_DAYS : retention, Authenticator.user(ctx).id())
        .compose(project -> Responses.json(ctx, 201, ProjectJson.membership(project)));
  }

  private Future<?> listProjects(RoutingContext ctx) {
    return projects.listForUser(Authenticator.user(ctx).id())
        .compose(list -> Responses.page(ctx, Page.all(list), ProjectJson::membership));
  }

  private Future<?> createApiKey(RoutingContext ctx) {
    Validator v = new Validator(JsonBodies.object(ctx));
    String name = v.requiredString("name", Validator.MAX_NAME);
    v.validate();
    return memberProject(ctx)
        .compose(projectId -> apiKeys.create(projectId, name.trim()))
        .compose(key -> Responses.json(ctx, 201, AuthJson.createdApiKey(key)));
  }

  private Future<?> listApiKeys(RoutingContext ctx) {
    return memberProject(ctx)
        .compose(apiKeys::list)
        .compose(keys -> Responses.page(ctx, Page.all(keys), AuthJson::apiKey));
  }

  private Future<?> revokeApiKey(RoutingContext ctx) {
    UUID keyId = Ids.parseUuid(ctx.pathParam("keyId"));
    return memberProject(ctx)
        .compose(projectId -> keyId == null ? Future.succeededFuture(false)
            : apiKeys.revoke(projectId, keyId))
        .compose(revoked -> revoked
            ? Responses.noContent(ctx)
            : Future.failedFuture(Problem.notFound("No such API key")));
  }

  private Future<?> getKeyProject(RoutingContext ctx) {
    return projects.findById(Authenticator.project(ctx).projectId())
        .compose(project -> project == null
            ? Future.failedFuture(Problem.notFound(NO_PROJECT))
            : Responses.json(ctx, 200, ProjectJson.project(project)));
  }

  /** The path's project id, when the signed-in user belongs to that project; else a 404. */
  private Future<UUID> memberProject(RoutingContext ctx) {
    UUID projectId = Ids.parseUuid(ctx.pathParam("id"));
    if (projectId == null) {
      return Future.failedFuture(Problem.notFound(NO_PROJECT));
    }
    return projects.roleOf(Authenticator.user(ctx).id(), projectId)
        .compose(role -> role == null
            ? Future.failedFuture(Problem.notFound(NO_PROJECT))
            : Future.succeededFuture(projectId));
  }
}
