package dev.genq.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries genq's layout promises, checked on the production classes of every module the
 * server assembles: the roles stand on storage and never on each other, storage stands on no role,
 * the ledger knows nothing of generations, and nothing in production reaches into the devkit.
 */
class ArchitectureTest {
    private static final String[] API = {"dev.genq.api.."};
    private static final String[] WORKER = {"dev.genq.execution..", "dev.genq.provider.."};
    private static final String[] SCHEDULER = {"dev.genq.maintenance..", "dev.genq.dashboard.."};
    private static final String[] STORAGE = {"dev.genq.account..", "dev.genq.ledger..", "dev.genq.catalog..", "dev.genq.routing..",
        "dev.genq.generation..", "dev.genq.payment..", "dev.genq.idempotency..", "dev.genq.blob..", "dev.genq.queue..", "dev.genq.infra..",
        "dev.genq.error.."};
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

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
