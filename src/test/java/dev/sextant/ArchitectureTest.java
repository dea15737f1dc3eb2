package dev.sextant;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, checked on the compiled main classes: a change that
 * breaks one fails the build, so the tree keeps showing the design. A new resource package is
 * covered without being named here: everything outside the infrastructure list counts as one.
 */
@DisplayName("Package rules")
class ArchitectureTest {

  private static final String BASE = "dev.sextant";
  /** Shared toolkit and infrastructure: they serve resources and never know one. */
  private static final String[] INFRASTRUCTURE = {
      BASE + ".http..", BASE + ".validation..", BASE + ".common..", BASE + ".config..",
      BASE + ".db..", BASE + ".cache..", BASE + ".ratelimit..", BASE + ".embedded..",
      BASE + ".tracemodel..", BASE + ".evaluators..", BASE + ".cluster..", BASE + ".telemetry.."};

  private static JavaClasses main;

  @BeforeAll
  static void importMain() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(BASE);
  }

  @Test
  @DisplayName("no two packages depend on each other, directly or through others")
  void noCycles() {
    slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  @DisplayName("infrastructure packages depend on no resource package")
  void infrastructureKnowsNoResource() {
    classes().that().resideInAnyPackage(INFRASTRUCTURE)
        .should().onlyDependOnClassesThat(resideOutsideSextantOrIn(INFRASTRUCTURE))
        .check(main);
  }

  @Test
  @DisplayName("a repository or SQL holder is used only inside its own package")
  void repositoriesStayHome() {
    classes().that().haveSimpleNameEndingWith("Repository").or().haveSimpleNameEndingWith("Sql")
        .should(beUsedOnlyFromTheirOwnPackage())
        .check(main);
  }

  @Test
  @DisplayName("only the launcher reaches the server package, which alone wires resources")
  void onlyTheLauncherUsesTheWiring() {
    noClasses().that().resideOutsideOfPackages(BASE + ".server..").and().doNotHaveFullyQualifiedName(BASE + ".Main")
        .should().dependOnClassesThat().resideInAPackage(BASE + ".server..")
        .check(main);
  }

  @Test
  @DisplayName("no class uses Vert.x internals")
  void noVertxInternals() {
    // one exception: MalformedBodyHandler reaches the Netty pipeline, which no public or
    // io.vertx.core.internal type exposes for an HTTP server connection (see its Javadoc)
    noClasses().that().doNotHaveFullyQualifiedName(BASE + ".http.MalformedBodyHandler")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..impl..")
        .check(main);
  }

  private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> resideOutsideSextantOrIn(
      String... packages) {
    return JavaClass.Predicates.resideOutsideOfPackage(BASE + "..")
        .or(JavaClass.Predicates.resideInAnyPackage(packages));
  }

  private static ArchCondition<JavaClass> beUsedOnlyFromTheirOwnPackage() {
    return new ArchCondition<>("be used only from their own package") {
      @Override
      public void check(JavaClass target, ConditionEvents events) {
        target.getDirectDependenciesToSelf().stream()
            .filter(d -> !d.getOriginClass().getPackageName().equals(target.getPackageName()))
            .forEach(d -> events.add(SimpleConditionEvent.violated(d, d.getDescription())));
      }
    };
  }
}
