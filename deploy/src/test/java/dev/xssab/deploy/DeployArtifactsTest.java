package dev.xssab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xssab.audit.AuditSettings;
import dev.xssab.broker.BrokerSettings;
import dev.xssab.cli.XssabCli;
import dev.xssab.cli.XssabSettings;
import dev.xssab.config.Setting;
import dev.xssab.evaluator.aggregate.AggregatesSettings;
import dev.xssab.explainer.ExplainerSettings;
import dev.xssab.gateway.GatewaySettings;
import dev.xssab.registry.RegistrySettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * There is no container runtime here, so the deployment artifacts are checked against the code
 * instead: every service's command is a real subcommand, every XSSAB_* variable a declared
 * setting, every probe and scrape port the service's declared metrics port, every probe path one
 * the services serve, and every image the one the Jib configuration builds.
 */
class DeployArtifactsTest {
    /** The long-running services and the setting that holds each one's /metrics and /health port. */
    private static final Map<String, Setting> METRICS_PORT = Map.of("gateway", GatewaySettings.METRICS_PORT, "explainer",
            ExplainerSettings.METRICS_PORT, "audit", AuditSettings.METRICS_PORT, "aggregates", AggregatesSettings.METRICS_PORT,
            "registry", RegistrySettings.METRICS_PORT);
    /** Environment the process reads besides the declared settings. */
    private static final Set<String> PROCESS_ENV = Set.of("XSSAB_HOME", "XSSAB_MODELS_DIR");

    private static Path deploy;
    private static String image;
    private static String mainClass;
    private static Set<String> declaredEnv;
    private static Set<String> subcommands;

    @BeforeAll
    static void read() throws Exception {
        deploy = Path.of(System.getProperty("user.dir"));
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(deploy.resolve("pom.xml").toFile());
        image = pom.getElementsByTagName("xssab.image").item(0).getTextContent().trim();
        mainClass = pom.getElementsByTagName("mainClass").item(0).getTextContent().trim();
        declaredEnv = new HashSet<>(PROCESS_ENV);
        XssabSettings.CATALOG.all().forEach(s -> declaredEnv.add(s.env()));
        subcommands = new CommandLine(new XssabCli()).getSubcommands().keySet();
    }

    @Test
    void theImageRunsTheCommandLine() {
        assertEquals(XssabCli.class.getName(), mainClass, "Jib's mainClass");
        assertTrue(image.startsWith("xssab/"), image);
    }

    @Test
    void composeAgreesWithTheCode() throws Exception {
        Map<String, Object> compose = yaml(deploy.resolve("compose.yaml")).get(0);
        Map<String, Object> services = map(compose.get("services"));
        for (String name : List.of("kafka", "registry", "gateway", "explainer", "audit", "aggregates")) {
            Map<String, Object> s = map(services.get(name));
            assertEquals(image, s.get("image"), name + " image");
            List<String> command = strings(s.get("command"));
            assertTrue(subcommands.contains(command.get(0)), name + ": no such command " + command);
            Map<String, Object> env = s.get("environment") == null ? Map.of() : map(s.get("environment"));
            env.keySet().stream().filter(k -> k.startsWith("XSSAB_"))
                    .forEach(k -> assertTrue(declaredEnv.contains(k), name + ": " + k + " is not a declared setting"));
            List<String> test = strings(map(s.get("healthcheck")).get("test"));
            assertEquals("probe", test.get(test.indexOf(XssabCli.class.getName()) + 1), name + " health check uses xssab probe");
            String url = test.get(test.size() - 1);
            if (METRICS_PORT.containsKey(name)) {
                assertEquals("http://127.0.0.1:" + METRICS_PORT.get(name).defaultValue() + "/health/ready", url, name);
            } else {
                assertEquals("tcp://127.0.0.1:" + BrokerSettings.PORT.defaultValue(), url, name);
            }
        }
        assertTrue(services.keySet().containsAll(List.of("postgres", "prometheus", "grafana")));
        // Prometheus scrapes each service on its metrics port.
        Map<String, Object> prometheus = yaml(deploy.resolve("prometheus/prometheus.yml")).get(0);
        List<String> targets = strings(map(((List<?>) map(((List<?>) prometheus.get("scrape_configs")).get(0))
                .get("static_configs")).get(0)).get("targets"));
        Set<String> expected = new HashSet<>();
        METRICS_PORT.forEach((service, port) -> expected.add(service + ":" + port.defaultValue()));
        assertEquals(expected, new HashSet<>(targets));
    }

    @Test
    void kubernetesAgreesWithTheCode() throws Exception {
        Map<String, Map<String, Object>> workloads = new HashMap<>();
        try (Stream<Path> files = Files.list(deploy.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (Map<String, Object> doc : yaml(f)) {
                    if (List.of("Deployment", "StatefulSet").contains(doc.get("kind"))) {
                        workloads.put((String) map(doc.get("metadata")).get("name"), doc);
                    }
                }
            }
        }
        assertTrue(workloads.keySet().containsAll(METRICS_PORT.keySet()), "a workload per service: " + workloads.keySet());
        for (var e : METRICS_PORT.entrySet()) {
            Map<String, Object> w = workloads.get(e.getKey());
            Map<String, Object> template = map(map(w.get("spec")).get("template"));
            Map<String, Object> annotations = map(map(template.get("metadata")).get("annotations"));
            String port = e.getValue().defaultValue().toString();
            assertEquals("true", annotations.get("prometheus.io/scrape"), e.getKey());
            assertEquals(port, annotations.get("prometheus.io/port"), e.getKey());
            assertEquals("/metrics", annotations.get("prometheus.io/path"), e.getKey());
            Map<String, Object> c = map(((List<?>) map(template.get("spec")).get("containers")).get(0));
            assertEquals(image, c.get("image"), e.getKey());
            assertTrue(subcommands.contains(strings(c.get("args")).get(0)), e.getKey() + " args");
            for (Object v : (List<?>) c.get("env")) {
                String name = (String) map(v).get("name");
                assertTrue(!name.startsWith("XSSAB_") || declaredEnv.contains(name), e.getKey() + ": " + name + " is not declared");
            }
            Map<String, Object> ready = map(map(c.get("readinessProbe")).get("httpGet"));
            Map<String, Object> live = map(map(c.get("livenessProbe")).get("httpGet"));
            assertEquals("/health/ready", ready.get("path"), e.getKey());
            assertEquals("/health/live", live.get("path"), e.getKey());
            assertEquals(port, ready.get("port").toString(), e.getKey());
            assertEquals(port, live.get("port").toString(), e.getKey());
            assertNotNull(map(c.get("resources")).get("requests"), e.getKey() + " resource requests");
        }
        // The explainer scales as a StatefulSet: its pod index is a stable instance id (static membership).
        Map<String, Object> explainer = workloads.get("explainer");
        assertEquals("StatefulSet", explainer.get("kind"));
        Map<String, Object> c = map(((List<?>) map(map(map(explainer.get("spec")).get("template")).get("spec"))
                .get("containers")).get(0));
        boolean instanceFromIndex = ((List<?>) c.get("env")).stream().map(DeployArtifactsTest::map)
                .anyMatch(v -> ExplainerSettings.INSTANCE.env().equals(v.get("name"))
                        && String.valueOf(v.get("valueFrom")).contains("apps.kubernetes.io/pod-index"));
        assertTrue(instanceFromIndex, "the explainer's instance number comes from its pod index");
    }

    @Test
    void theDashboardShowsTheServicesMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(deploy.resolve("grafana/xssab-dashboard.json").toFile());
        Set<String> used = new HashSet<>();
        Matcher m = Pattern.compile("\\b(xssab_[a-z_]+|kafka_[a-z_]+)").matcher(dashboard.toString());
        while (m.find()) {
            used.add(m.group(1).replaceAll("_(bucket|sum|count|total)$", ""));
        }
        for (String name : List.of("xssab_requests", "xssab_rejections", "xssab_decisions", "xssab_batch_size",
                "xssab_model_seconds", "xssab_preprocess_seconds", "xssab_decision_latency_seconds", "xssab_client_restarts")) {
            assertTrue(used.contains(name), "the dashboard shows " + name + " (uses " + used + ")");
        }
        assertFalse(dashboard.path("panels").isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        ((List<?>) o).forEach(x -> out.add(String.valueOf(x)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> yaml(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml().loadAll(in)) {
                if (doc != null) {
                    docs.add((Map<String, Object>) doc);
                }
            }
        }
        return docs;
    }
}
