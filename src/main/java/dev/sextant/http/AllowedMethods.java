package dev.sextant.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The methods the routes of each path take, for the {@code Allow} header a 405 must carry (RFC
 * 9110). Vert.x Web sets it only when no error handler is registered for 405, and ours is.
 */
final class AllowedMethods {

  private record Entry(Pattern path, Set<HttpMethod> methods) {}

  private final List<Entry> entries = new ArrayList<>();

  /** Of the routes {@code router} has now: call it once every route is mounted. */
  AllowedMethods(Router router) {
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && !route.methods().isEmpty()) {
        entries.add(new Entry(pattern(route.getPath()), route.methods()));
      }
    }
  }

  /** {@code /a/:id} matches {@code /a/} and one segment; a trailing {@code *} matches any rest. */
  private static Pattern pattern(String path) {
    boolean prefix = path.endsWith("*");
    String regex = Arrays.stream((prefix ? path.substring(0, path.length() - 1) : path).split("/", -1))
        .map(segment -> segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment))
        .collect(Collectors.joining("/"));
    return Pattern.compile(regex + (prefix ? ".*" : ""));
  }

  /** The methods for {@code path}, sorted and comma-separated; HEAD wherever GET is. */
  String forPath(String path) {
    Set<String> names = new TreeSet<>();
    for (Entry entry : entries) {
      if (entry.path().matcher(path).matches()) {
        entry.methods().forEach(method -> names.add(method.name()));
      }
    }
    if (names.contains("GET")) {
      names.add("HEAD");
    }
    return String.join(", ", names);
  }
}
