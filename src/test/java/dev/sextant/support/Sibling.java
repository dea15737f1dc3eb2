package dev.sextant.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static {@code TestServer} field that the {@link ServerExtension} sets to a second
 * instance over the same database and Redis ({@link TestServer#sibling()}), as behind a load
 * balancer: started after the class's server, stopped before it.
 */
@Documented
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Sibling {}
