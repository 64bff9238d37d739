package dev.xssab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.testkit.SharedData;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

/**
 * The compose stack as it ships (deploy/compose.yaml) run by Docker, and one pair sent through
 * it from inside the network with the image's own {@code xssab submit}. Needs Docker and the
 * image built locally ({@code mvn -pl deploy jib:dockerBuild}); skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIT {
    @Container
    static final ComposeContainer STACK = new ComposeContainer(new File("compose.yaml"))
            .withLocalCompose(true)
            .waitingFor("gateway", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
            .waitingFor("explainer", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
            .waitingFor("audit", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)));

    @Test
    void aPairGoesThroughTheComposeStack() throws Exception {
        Path faces = SharedData.deepface();
        ContainerState gateway = STACK.getContainerByServiceName("gateway").orElseThrow();
        gateway.copyFileToContainer(MountableFile.forHostPath(faces.resolve("img1.jpg")), "/tmp/img1.jpg");
        gateway.copyFileToContainer(MountableFile.forHostPath(faces.resolve("img2.jpg")), "/tmp/img2.jpg");
        ExecResult submit = gateway.execInContainer("java", "-cp", "@/app/jib-classpath-file", "dev.xssab.cli.XssabCli",
                "submit", "/tmp/img1.jpg", "/tmp/img2.jpg", "--timeout", "PT2M");
        assertEquals(0, submit.getExitCode(), submit.getStderr());
        assertTrue(submit.getStdout().contains("\"decision\" : \"MATCH\""), submit.getStdout());
    }
}
