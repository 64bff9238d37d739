package dev.xssab.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries, checked on the compiled classes of every module. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        // Tests of other modules arrive as target/test-classes in a reactor test run but as
        // *-tests.jar after packaging (CI's verify): neither is main code.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")).importPackages("dev.xssab");
    }

    @Test
    void streamingCodeDoesNotImportDjl() {
        noClasses().that().resideInAnyPackage("..stream..", "dev.xssab.schemas..", "dev.xssab.audit..", "dev.xssab.config..",
                "dev.xssab.registry..").should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
                .because("models sit behind interfaces; stream processing never touches NDArrays").check(classes);
    }

    @Test
    void theExecutorKnowsOnlyDjlAndItsOwnFormats() {
        classes().that().resideInAPackage("dev.xssab.executor..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.xssab.executor..", "ai.djl..", "com.fasterxml.jackson..", "java..")
                .because("the executor is a differentiable graph runtime: no Kafka, no faces, no other module").check(classes);
    }

    @Test
    void facePreprocessingKnowsNoKafka() {
        noClasses().that().resideInAPackage("dev.xssab.faces..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "dev.xssab.gateway..", "dev.xssab.config..")
                .because("decoding, detection and alignment are a library the gateway's topology calls").check(classes);
    }

    @Test
    void schemasHoldRecordsTopicsAndTheSerdeOnly() {
        noClasses().that().resideInAPackage("dev.xssab.schemas..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka.clients..", "org.apache.kafka.streams.processor..", "dev.xssab.config..",
                        "dev.xssab.kafka..", "io.micrometer..")
                .because("clients, provisioning and loops are Kafka support (the kafka module), not data contracts").check(classes);
    }

    @Test
    void configurationBuildsNoClients() {
        noClasses().that().resideInAPackage("dev.xssab.config..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka.clients..", "org.apache.kafka.streams..", "io.micrometer..", "javax.net..")
                .because("config declares and reads settings; the client factory and the TLS probe are in the kafka module")
                .check(classes);
    }

    @Test
    void picturesNeedNoEngineAndNoKafka() {
        noClasses().that().resideInAnyPackage("dev.xssab.render..", "dev.xssab.ui..").should().dependOnClassesThat()
                .resideInAnyPackage("ai.djl..", "ai.onnxruntime..", "dev.xssab.explainer..", "dev.xssab.executor..")
                .because("the UI draws stored explanations without loading the PyTorch natives").check(classes);
        noClasses().that().resideInAPackage("dev.xssab.render..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..").check(classes);
    }

    @Test
    void theCliHoldsNoDomainLogic() {
        noClasses().that().resideInAPackage("dev.xssab.cli..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka.clients..", "org.apache.kafka.streams..", "ai.djl..", "ai.onnxruntime..",
                        "java.sql..", "javax.sql..", "org.flywaydb..", "javax.imageio..", "java.awt..", "org.apache.avro.io..")
                .because("the CLI parses, calls the stages' libraries and prints").check(classes);
    }

    @Test
    void modulesDependOnlyDownwardAlongTheFlow() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("broker").definedBy("dev.xssab.broker..")
                .layer("config").definedBy("dev.xssab.config..")
                .layer("schemas").definedBy("dev.xssab.schemas..")
                .layer("kafka").definedBy("dev.xssab.kafka..")
                .layer("registry").definedBy("dev.xssab.registry..")
                .layer("models").definedBy("dev.xssab.models..")
                .layer("executor").definedBy("dev.xssab.executor..")
                .layer("faces").definedBy("dev.xssab.faces..")
                .layer("render").definedBy("dev.xssab.render..")
                .layer("gateway").definedBy("dev.xssab.gateway..")
                .layer("explainer").definedBy("dev.xssab.explainer..")
                .layer("audit").definedBy("dev.xssab.audit..")
                .layer("evaluator").definedBy("dev.xssab.evaluator..")
                .layer("ui").definedBy("dev.xssab.ui..")
                .layer("cli").definedBy("dev.xssab.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("ui").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("evaluator").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("audit").mayOnlyBeAccessedByLayers("ui", "cli")
                .whereLayer("explainer").mayOnlyBeAccessedByLayers("evaluator", "ui", "cli")
                .whereLayer("gateway").mayOnlyBeAccessedByLayers("explainer", "evaluator", "cli")
                .whereLayer("executor").mayOnlyBeAccessedByLayers("explainer")
                .whereLayer("render").mayOnlyBeAccessedByLayers("explainer", "evaluator", "ui", "cli")
                .whereLayer("faces").mayOnlyBeAccessedByLayers("gateway", "evaluator", "cli")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("models").mayOnlyBeAccessedByLayers("faces", "gateway", "explainer", "evaluator", "ui", "cli")
                .whereLayer("kafka").mayOnlyBeAccessedByLayers("registry", "gateway", "explainer", "audit", "evaluator", "ui", "cli")
                .whereLayer("schemas").mayOnlyBeAccessedByLayers("kafka", "registry", "faces", "render", "gateway", "explainer", "audit", "evaluator",
                        "ui", "cli")
                .whereLayer("broker").mayOnlyBeAccessedByLayers("cli")
                .check(classes);
    }
}
