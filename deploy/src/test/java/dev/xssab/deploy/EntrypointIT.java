package dev.xssab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xssab.broker.LoopbackPorts;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.Replication;
import dev.xssab.explainer.ExplainerSettings;
import dev.xssab.gateway.GatewaySettings;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.registry.testing.KafkaWithRegistry;
import dev.xssab.schemas.ReasonCode;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.testkit.SharedData;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The image's entrypoint (Jib's main class with compose's arguments) started as plain processes,
 * gateway and explainer, on the embedded broker and registry: both reach ready; after one
 * submit the gateway's /metrics counts an accepted request and the explainer's a decision; and
 * their JSON logs carry requestId and service on every line about a request, and no image bytes
 * or embeddings.
 */
class EntrypointIT {
    /** A JPEG or PNG in base64, raw JPEG or PNG bytes, or a long run of numbers (an embedding or a map). */
    private static final List<Pattern> BIOMETRIC = List.of(Pattern.compile("/9j/[A-Za-z0-9+/]{20}"),
            Pattern.compile("iVBORw0KGgo"), Pattern.compile("\u00ff\u00d8\u00ff"), Pattern.compile("\u0089PNG"),
            Pattern.compile("(-?\\d+\\.\\d+(?:[eE]-?\\d+)?[,;\\s]+){16,}"));

    @TempDir
    Path tmp;

    @Test
    void theEntrypointReachesReadyCountsWhatItDecidesAndLogsNoBiometrics() throws Exception {
        Path faces = SharedData.deepface();
        Path deploy = Path.of(System.getProperty("user.dir"));
        String mainClass = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(deploy.resolve("pom.xml").toFile())
                .getElementsByTagName("mainClass").item(0).getTextContent().trim();
        Map<String, List<String>> commands = composeCommands(deploy.resolve("compose.yaml"));
        try (KafkaWithRegistry kafka = KafkaWithRegistry.start()) {
            TopicAdmin.ensureTopics(kafka.clients(), kafka.topics(), 2, Replication.SINGLE_NODE);
            int gatewayPort = LoopbackPorts.unused();
            int explainerPort = LoopbackPorts.unused();
            Map<String, String> env = new HashMap<>();
            env.put(CommonSettings.BOOTSTRAP_SERVERS.env(), kafka.bootstrapServers());
            env.put(CommonSettings.REGISTRY_URL.env(), kafka.registryUrl());
            env.put(CommonSettings.LOG_FORMAT.env(), "json");
            env.put(GatewaySettings.METRICS_PORT.env(), Integer.toString(gatewayPort));
            env.put(ExplainerSettings.METRICS_PORT.env(), Integer.toString(explainerPort));
            // A new application id per run: the gateway's local state (under XSSAB_HOME) is never one
            // that belonged to another cluster.
            String run = Long.toString(System.currentTimeMillis(), 36);
            env.put(GatewaySettings.APPLICATION_ID.env(), "entrypoint-it-gateway-" + run);
            env.put(ExplainerSettings.GROUP_ID.env(), "entrypoint-it-explainer-" + run);
            Path gatewayLog = tmp.resolve("gateway.log");
            Path explainerLog = tmp.resolve("explainer.log");
            Process gateway = start(mainClass, commands.get("gateway"), env, gatewayLog);
            Process explainer = start(mainClass, commands.get("explainer"), env, explainerLog);
            try {
                awaitReady(gateway, gatewayPort, gatewayLog);
                awaitReady(explainer, explainerPort, explainerLog);

                try (PipelineClient client = new PipelineClient(kafka.clients(), kafka.topics(), null)) {
                    client.send(request("entrypoint-1", Files.readAllBytes(faces.resolve("img1.jpg")),
                            Files.readAllBytes(faces.resolve("img2.jpg")), true));
                    client.send(request("entrypoint-bad", new byte[0], Files.readAllBytes(faces.resolve("img2.jpg")), false));
                    client.flush();
                    PipelineClient.Outcome good = client.await("entrypoint-1", true, Duration.ofMinutes(3));
                    assertNotNull(good, "a result for the good request");
                    assertNotNull(good.result());
                    PipelineClient.Outcome bad = client.await("entrypoint-bad", false, Duration.ofMinutes(1));
                    assertNotNull(bad, "a rejection for the bad request");
                    assertEquals(ReasonCode.EMPTY_IMAGE, bad.rejection().getReason());
                }
                String gatewayMetrics = get(gatewayPort, "/metrics").body();
                String explainerMetrics = get(explainerPort, "/metrics").body();
                assertTrue(counter(gatewayMetrics, "xssab_requests_total", "outcome=\"accepted\"") >= 1, gatewayMetrics);
                assertTrue(counter(gatewayMetrics, "xssab_rejections_total", "reason=\"EMPTY_IMAGE\"") >= 1);
                assertTrue(counter(gatewayMetrics, "xssab_preprocess_seconds_count", "step=\"detect\"") >= 1);
                assertTrue(counter(explainerMetrics, "xssab_decisions_total", "decision=\"MATCH\"") >= 1, explainerMetrics);
                assertTrue(counter(explainerMetrics, "xssab_model_seconds_count", "kind=\"explain\"") >= 1);
                assertTrue(counter(explainerMetrics, "xssab_decision_latency_seconds_count", "") >= 1);
                assertTrue(explainerMetrics.contains("kafka_consumer_fetch_manager_records_lag_max"),
                        "Kafka's own consumer metrics, lag included, through the Micrometer binder");
                assertTrue(gatewayMetrics.contains("kafka_stream"), "Kafka Streams' own metrics through the binder");
                assertEquals(200, get(gatewayPort, "/health/live").statusCode());
            } finally {
                gateway.destroy();
                explainer.destroy();
                gateway.waitFor(60, TimeUnit.SECONDS);
                explainer.waitFor(60, TimeUnit.SECONDS);
            }
            deleteTree(dev.xssab.models.XssabHome.dir().resolve("state").resolve("gateway").resolve("entrypoint-it-gateway-" + run));
            checkLogs(gatewayLog, "gateway", "entrypoint-bad");
            checkLogs(explainerLog, "explainer", null);
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void checkLogs(Path log, String service, String requestId) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        int objects = 0;
        boolean aboutTheRequest = false;
        for (String line : lines) {
            for (Pattern p : BIOMETRIC) {
                assertFalse(p.matcher(line).find(), service + " log has image bytes or a vector: " + line);
            }
            if (!line.startsWith("{")) {
                continue; // a command's own stderr line or a native library's warning
            }
            JsonNode o = json.readTree(line);
            objects++;
            assertTrue(o.has("level") && o.has("formattedMessage"), line);
            if (requestId != null && line.contains(requestId)) {
                aboutTheRequest = true;
                System.out.println(service + " log line about " + requestId + ": " + line);
                assertEquals(requestId, o.path("mdc").path("requestId").asText(), line);
                assertEquals(service, o.path("mdc").path("service").asText(), line);
            }
        }
        assertTrue(objects > 0, service + " wrote JSON log lines");
        System.out.printf("%s log: %d lines, %d JSON objects, none with image bytes or vectors%n", service, lines.size(), objects);
        assertTrue(requestId == null || aboutTheRequest, service + " logged about " + requestId);
    }

    private static double counter(String page, String name, String label) {
        double sum = 0;
        for (String line : page.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static Process start(String mainClass, List<String> args, Map<String, String> env, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().putAll(env);
        return b.start();
    }

    private static void awaitReady(Process p, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), () -> "exited: " + tail(log));
            try {
                HttpResponse<String> r = get(port, "/health/ready");
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not ready after 3 minutes: " + last + "\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static VerificationRequest request(String id, byte[] probe, byte[] reference, boolean explain) {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now()).setClientId("entrypoint-it")
                .setProbe(ByteBuffer.wrap(probe)).setReference(ByteBuffer.wrap(reference)).setExplain(explain).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> composeCommands(Path compose) throws Exception {
        try (Reader in = Files.newBufferedReader(compose)) {
            Map<String, Object> services = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(in)).get("services");
            Map<String, List<String>> out = new HashMap<>();
            services.forEach((name, s) -> {
                Object command = ((Map<String, Object>) s).get("command");
                if (command != null) {
                    out.put(name, (List<String>) command);
                }
            });
            return out;
        }
    }
}
