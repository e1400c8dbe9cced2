package dev.genq.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.genq.api.auth.AdminAccess;
import dev.genq.api.auth.Scoped;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.HttpMethodMapping;
import io.micronaut.inject.BeanConfiguration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries genq's layout promises, checked on the production classes of every module the
 * server assembles: the roles stand on storage and never on each other, storage stands on no role,
 * the ledger knows nothing of generations, nothing in production reaches into the devkit, and a
 * role's beans are switched on by its packages' one gate, never bean by bean.
 */
class ArchitectureTest {
    private static final String[] API = {"dev.genq.api..", "dev.genq.http.."};
    private static final String[] WORKER = {"dev.genq.execution..", "dev.genq.provider.."};
    private static final String[] SCHEDULER = {"dev.genq.maintenance..", "dev.genq.scheduler..", "dev.genq.dashboard.."};
    private static final String[] STORAGE = {"dev.genq.account..", "dev.genq.ledger..", "dev.genq.catalog..", "dev.genq.routing..",
        "dev.genq.generation..", "dev.genq.payment..", "dev.genq.idempotency..", "dev.genq.blob..", "dev.genq.queue..", "dev.genq.infra..",
        "dev.genq.error..", "dev.genq.staff..", "dev.genq.webhook.."};
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.genq");
    }

    @Test
    void theApiRoleUsesNeitherWorkerNorScheduler() {
        noClasses().that().resideInAnyPackage(API).should().dependOnClassesThat().resideInAnyPackage(concat(WORKER, SCHEDULER))
            .check(production);
    }

    @Test
    void theWorkerRoleUsesNeitherApiNorScheduler() {
        noClasses().that().resideInAnyPackage(WORKER).should().dependOnClassesThat().resideInAnyPackage(concat(API, SCHEDULER))
            .check(production);
    }

    @Test
    void theSchedulerRoleUsesNeitherApiNorWorker() {
        noClasses().that().resideInAnyPackage(SCHEDULER).should().dependOnClassesThat().resideInAnyPackage(concat(API, WORKER))
            .check(production);
    }

    @Test
    void storageStandsOnNoRole() {
        noClasses().that().resideInAnyPackage(STORAGE).should().dependOnClassesThat()
            .resideInAnyPackage(concat(concat(API, WORKER), concat(SCHEDULER, new String[] {"dev.genq.server.."})))
            .check(production);
    }

    @Test
    void theLedgerKnowsNothingOfGenerations() {
        noClasses().that().resideInAPackage("dev.genq.ledger..").should().dependOnClassesThat().resideInAPackage("dev.genq.generation..")
            .check(production);
    }

    @Test
    void productionCodeNeverReachesIntoTheDevkit() {
        noClasses().that().resideOutsideOfPackages("dev.genq.devkit..", "dev.genq.local..", "dev.genq.bench..")
            .should().dependOnClassesThat().resideInAPackage("dev.genq.devkit..")
            .check(production);
    }

    /** The packages whose beans only their role may have, each gated once by its package-info. */
    private static final Map<String, String> GATED = Map.of(
        "dev.genq.api", "api",
        "dev.genq.execution", "worker",
        "dev.genq.provider", "worker",
        "dev.genq.scheduler", "scheduler",
        "dev.genq.dashboard", "scheduler");

    @Test
    void eachRolesPackagesAreGatedToItsRoleOnce() throws Exception {
        for (Map.Entry<String, String> gated : GATED.entrySet()) {
            // @Configuration on the package-info makes the package one configuration, whose @Requires gates it all
            assertThat(BeanConfiguration.class).as(gated.getKey())
                .isAssignableFrom(Class.forName(gated.getKey() + ".$BeanConfiguration"));
            Package p = Class.forName(gated.getKey() + ".package-info").getPackage();
            assertThat(p.getAnnotation(Requires.class)).as(gated.getKey()).isNotNull()
                .extracting(Requires::env).isEqualTo(new String[] {gated.getValue()});
        }
    }

    @Test
    void noBeanGatesItselfByRole() {
        noClasses().should(new ArchCondition<>("be gated by a role (environment) of its own") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                c.tryGetAnnotationOfType(Requires.class).filter(r -> r.env().length > 0)
                    .ifPresent(r -> events.add(SimpleConditionEvent.violated(c, c.getName() + " has @Requires(env)")));
            }
        }).check(production);
    }

    @Test
    void everyControllerIsInARolesGatedPackage() {
        classes().that().areAnnotatedWith(Controller.class).should()
            .resideInAnyPackage(GATED.keySet().stream().map(p -> p + "..").toArray(String[]::new))
            .check(production);
    }

    /** Access is granted by a declaration: every /v1 route names its scope, every /admin route its role. */
    @Test
    void everyAccountRouteDeclaresItsScopeAndEveryAdminRouteItsRole() {
        java.util.List<String> undeclared = new java.util.ArrayList<>();
        int routes = 0;
        for (JavaClass c : production) {
            if (!c.isAnnotatedWith(Controller.class)) {
                continue;
            }
            String base = c.getAnnotationOfType(Controller.class).value();
            for (var m : c.getMethods()) {
                if (m.getAnnotations().stream().noneMatch(a -> a.getRawType().isAnnotatedWith(HttpMethodMapping.class))) {
                    continue;
                }
                routes++;
                boolean ok = base.startsWith("/v1") ? m.isAnnotatedWith(Scoped.class)
                    : base.startsWith("/admin") ? m.isAnnotatedWith(AdminAccess.class) : !m.isAnnotatedWith(Scoped.class);
                if (!ok) {
                    undeclared.add(c.getSimpleName() + "." + m.getName() + " (" + base + ")");
                }
            }
        }
        assertThat(routes).as("routes found").isGreaterThan(20);
        assertThat(undeclared).isEmpty();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
