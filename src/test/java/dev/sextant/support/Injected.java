package dev.sextant.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static field of type {@link TestServer} or {@link ApiClient} that the
 * {@link ServerExtension} sets, before all tests of the class, to the class's server or its
 * client.
 */
@Documented
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Injected {}
