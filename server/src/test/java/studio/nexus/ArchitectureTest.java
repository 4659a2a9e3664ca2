package studio.nexus;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.nexus.web.ApiException;

/**
 * The invariants ARCHITECTURE.md states about the server's shape, checked on the compiled classes so that they
 * hold after us: packages form no cycle, SQL is written only in a feature's data-access home ({@code XSql}) or in
 * {@code db}, and only the HTTP edge ({@code web}, {@code *Routes}) speaks in HTTP errors.
 */
class ArchitectureTest {
    private static JavaClasses server;

    @BeforeAll
    static void readTheServersClasses() {
        server = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("studio.nexus");
    }

    private static DescribedPredicate<JavaClass> dataAccessHomes() {
        return DescribedPredicate.describe("a data-access home (XSql) or db",
                c -> topLevel(c).getSimpleName().endsWith("Sql") || c.getPackageName().startsWith("studio.nexus.db"));
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }

    @Test
    void packagesDependOnEachOtherWithoutCycles() {
        slices().matching("studio.nexus.(*)..").should().beFreeOfCycles().check(server);
    }

    @Test
    void onlyDataAccessHomesWriteSql() {
        DescribedPredicate<JavaMethodCall> sqlStatements = DescribedPredicate.describe("a SQL statement on a Handle",
                call -> call.getTargetOwner().isAssignableTo(Handle.class)
                        && java.util.Set.of("createQuery", "createUpdate", "execute", "createCall", "createScript",
                                "attach", "select", "prepareBatch", "createBatch").contains(call.getName()));
        noClasses().that(DescribedPredicate.not(dataAccessHomes()))
                .should().callMethodWhere(sqlStatements)
                .check(server);
    }

    @Test
    void onlyTheHttpEdgeSpeaksInHttpErrors() {
        noClasses().that().resideOutsideOfPackage("studio.nexus.web..")
                .and(DescribedPredicate.describe("not a route class",
                        c -> !topLevel(c).getSimpleName().endsWith("Routes")))
                .should().dependOnClassesThat().areAssignableTo(ApiException.class)
                .check(server);
    }
}
