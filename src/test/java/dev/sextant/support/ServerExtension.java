package dev.sextant.support;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * One {@link TestServer} per test class: started before all its tests, stopped after all of them
 * (after the class's own {@code @AfterAll} methods), whether they passed or not.
 *
 * <p>The class's static fields say what it needs: {@link Injected @Injected} on a
 * {@code TestServer} or {@code ApiClient} field, {@link ProjectKey @ProjectKey} on a
 * {@code String} field for an API key of a project of its own, {@link Sibling @Sibling} on a
 * {@code TestServer} field for a second instance over the same data. They are set before the class's
 * {@code @BeforeAll} methods run, so those can arrange fixtures with them.
 *
 * <pre>{@code
 * @ExtendWith(ServerExtension.class)
 * class TraceQueryTest {
 *   @Injected private static ApiClient api;
 *   @ProjectKey private static String key;
 * }
 * }</pre>
 *
 * A class that needs the server configured otherwise registers the extension with the
 * environment overrides, on top of those {@link TestServer#start(Map)} applies:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServerExtension extension =
 *     ServerExtension.withEnv(Map.of("SEXTANT_HTTP_BODY_LIMIT_BYTES", "4096"));
 * }</pre>
 */
public final class ServerExtension implements BeforeAllCallback {

  private static final Namespace NAMESPACE = Namespace.create(ServerExtension.class);

  private final Map<String, String> env;

  /** A server configured as {@link TestServer#start()} configures it; for {@code @ExtendWith}. */
  public ServerExtension() {
    this(Map.of());
  }

  private ServerExtension(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** A server with {@code env} on top of the test environment; for {@code @RegisterExtension}. */
  public static ServerExtension withEnv(Map<String, String> env) {
    return new ServerExtension(env);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    List<Field> injected = fields(testClass, Injected.class);
    List<Field> keys = fields(testClass, ProjectKey.class);
    List<Field> siblings = fields(testClass, Sibling.class);
    injected.forEach(f -> requireType(f, TestServer.class, ApiClient.class));
    keys.forEach(f -> requireType(f, String.class));
    siblings.forEach(f -> requireType(f, TestServer.class));

    TestServer server = TestServer.start(env);
    // the store closes it with the class's context, however the class's tests and set-up ended
    Started started = new Started(server, new java.util.ArrayList<>());
    context.getStore(NAMESPACE).put(Started.class, started);
    for (Field field : siblings) {
      TestServer sibling = server.sibling();
      started.siblings().add(sibling);
      set(field, sibling);
    }
    for (Field field : injected) {
      set(field, field.getType() == TestServer.class ? server : server.client);
    }
    for (Field field : keys) {
      set(field, server.client.newProjectKey());
    }
  }

  /** The running server, as the store holds it until the class's context closes. */
  /** The running servers: the siblings stop first, then the server they joined. */
  private record Started(TestServer server, List<TestServer> siblings) implements CloseableResource {

    @Override
    public void close() {
      siblings.forEach(TestServer::close);
      server.close();
    }
  }

  private static List<Field> fields(Class<?> testClass, Class<? extends Annotation> annotation) {
    List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, annotation);
    for (Field field : fields) {
      int modifiers = field.getModifiers();
      if (!Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)) {
        throw new ExtensionConfigurationException("@" + annotation.getSimpleName() + " field "
            + field.getName() + " must be static and not final: the server serves the whole class");
      }
    }
    return fields;
  }

  private static void requireType(Field field, Class<?>... allowed) {
    for (Class<?> type : allowed) {
      if (field.getType() == type) {
        return;
      }
    }
    throw new ExtensionConfigurationException("field " + field.getName() + " has type "
        + field.getType().getSimpleName() + "; the server sets only "
        + Arrays.stream(allowed).map(Class::getSimpleName).toList());
  }

  private static void set(Field field, Object value) {
    try {
      field.setAccessible(true);
      field.set(null, value);
    } catch (IllegalAccessException e) {
      throw new ExtensionConfigurationException("cannot set field " + field.getName(), e);
    }
  }
}
