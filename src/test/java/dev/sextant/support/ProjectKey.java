package dev.sextant.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static {@code String} field that the {@link ServerExtension} sets, before all tests of
 * the class, to an API key of a project of its own (a new person, project and key, as
 * {@link ApiClient#newProjectKey()} makes them): each such field gets another project, shared by
 * the class's tests.
 */
@Documented
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ProjectKey {}
