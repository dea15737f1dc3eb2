package dev.sextant.http;

import io.vertx.ext.web.Router;

/**
 * The routes of one resource. An implementation is built once per process with everything it
 * needs (pools, services, caches) through its constructor, and {@link #mount(Router)} is then
 * called on the router of every HTTP verticle: it must not keep per-router state outside what it
 * creates inside {@code mount}, and what it shares must be safe to use from every event loop.
 */
public interface Routes {

  /** Declares this resource's routes on {@code router}. */
  void mount(Router router);
}
