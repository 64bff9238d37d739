package dev.xssab.testkit.pipeline;

import dev.xssab.audit.AuditDatabase;
import dev.xssab.audit.AuditService;
import dev.xssab.broker.LoopbackPorts;
import dev.xssab.config.Replication;
import dev.xssab.evaluator.aggregate.AggregatesService;
import dev.xssab.evaluator.aggregate.AggregatesTopology;
import dev.xssab.explainer.stream.ExplainerService;
import dev.xssab.faces.image.DecodeLimits;
import dev.xssab.gateway.stream.GatewayService;
import dev.xssab.gateway.stream.GatewayTopology;
import dev.xssab.kafka.ClusterAccess;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.models.ModelStore;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.models.ThresholdStore;
import dev.xssab.observability.XssabMetrics;
import dev.xssab.schemas.Topics;
import dev.xssab.ui.UiRole;
import dev.xssab.ui.UiService;
import dev.xssab.ui.UiTls;
import dev.xssab.ui.UiUsers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The pipeline in one JVM, for integration tests: a {@link PipelineCluster} and the services a
 * {@link PipelineBuilder} names, each built from the same service class with the same kind of
 * inputs as its {@code xssab} command, each as its own principal on a secured cluster. Started
 * means ready: {@link PipelineBuilder#start} returns once every service's {@code ready()} is null.
 */
public final class Pipeline implements AutoCloseable {
    /** How long the services may take to say they are ready (models load, groups settle). */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    /** The services a pipeline can run. */
    public enum Stage { GATEWAY, EXPLAINER, AUDIT, AGGREGATES, UI }

    /** The services' group and application ids, which a secured cluster's ACLs name. */
    public record Ids(String gateway, String explainer, String audit, String aggregates) {
        public static Ids named(String prefix) {
            return new Ids(prefix + "-gateway", prefix + "-explainer", prefix + "-audit", prefix + "-aggregates");
        }
    }

    private final PipelineCluster cluster;
    /** False when the caller brought the cluster and closes it. */
    private final boolean ownsCluster;
    private final Ids ids;
    /** In start order; closed in reverse. */
    private final Map<Stage, Running> services = new LinkedHashMap<>();

    /** A service as the pipeline drives it: how to start it, ask it whether it is ready, and close it. */
    private record Running(AutoCloseable service, Start start, Supplier<String> ready) {}

    @FunctionalInterface
    private interface Start {
        void start() throws InterruptedException;
    }

    private Pipeline(PipelineCluster cluster, boolean ownsCluster, Ids ids) {
        this.cluster = cluster;
        this.ownsCluster = ownsCluster;
        this.ids = ids;
    }

    /** A pipeline of the services, models and cluster that {@code options} name, in {@code dir}. */
    public static PipelineBuilder builder(Path dir) {
        return new PipelineBuilder(dir);
    }

    static Pipeline start(PipelineBuilder options) throws Exception {
        Ids ids = Ids.named(options.name);
        PipelineCluster cluster = options.secure ? PipelineCluster.secure(options.partitions, ids, options.dir, options.otherDoors)
                : PipelineCluster.plain(options.partitions);
        try {
            return start(options, new Pipeline(cluster, true, ids));
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    static Pipeline startOn(PipelineCluster cluster, PipelineBuilder options) throws Exception {
        if (cluster.secured() != options.secure) {
            throw new IllegalArgumentException("the pipeline is " + (options.secure ? "" : "not ") + "secured, the cluster "
                    + (cluster.secured() ? "is" : "is not"));
        }
        return start(options, new Pipeline(cluster, false, Ids.named(options.name)));
    }

    private static Pipeline start(PipelineBuilder options, Pipeline pipeline) throws Exception {
        try {
            pipeline.build(options);
            pipeline.startAll();
            pipeline.awaitReady(READY_TIMEOUT);
            return pipeline;
        } catch (Exception | Error e) {
            pipeline.closeServices();
            throw e;
        }
    }

    private void build(PipelineBuilder options) throws Exception {
        ModelStore store = ModelStore.fromEnvironment();
        if (options.stages.contains(Stage.GATEWAY)) {
            Set<String> evaluators = options.evaluationPrincipals != null ? options.evaluationPrincipals
                    : Set.of(cluster.secured() ? ClusterAccess.EVALUATOR : GatewayTopology.ANY_PRINCIPAL);
            GatewayService gateway = GatewayService.load(cluster.clientsFor(ClusterAccess.GATEWAY),
                    topicsFor(ClusterAccess.GATEWAY), new GatewayService.Faces(store, RecognitionModelSpec.frFeature(),
                            DecodeLimits.DEFAULT, List.of()), new GatewayTopology.Options(Duration.ofMinutes(10), evaluators,
                            XssabMetrics.unregistered()), GatewayTopology.streamsConfig(ids.gateway(),
                            options.dir.resolve("gateway-state").toString(), 1, Replication.SINGLE_NODE));
            services.put(Stage.GATEWAY, new Running(gateway, gateway::start, gateway::ready));
        }
        if (options.stages.contains(Stage.EXPLAINER)) {
            // An empty calibration file: the models decide at their shipped defaults unless the thresholds topic says otherwise.
            ExplainerService explainer = ExplainerService.load(ExplainerService.Connections.of(cluster.clientsFor(
                    ClusterAccess.EXPLAINER), topicsFor(ClusterAccess.EXPLAINER)), store,
                    new ThresholdStore(options.dir.resolve("thresholds.json")), new ExplainerService.Options(options.models,
                            ids.explainer(), 0, options.explainerBatch, Duration.ofMillis(20)), XssabMetrics.unregistered());
            services.put(Stage.EXPLAINER, new Running(explainer, explainer::start, explainer::ready));
        }
        if (options.stages.contains(Stage.AUDIT)) {
            AuditService audit = AuditService.open(cluster.clientsFor(ClusterAccess.AUDIT), topicsFor(ClusterAccess.AUDIT),
                    ids.audit(), auditDatabase(options));
            services.put(Stage.AUDIT, new Running(audit, audit::start, audit::ready));
        }
        if (options.stages.contains(Stage.AGGREGATES)) {
            AggregatesService aggregates = new AggregatesService(cluster.clientsFor(ClusterAccess.AGGREGATES),
                    topicsFor(ClusterAccess.AGGREGATES), Duration.ofDays(7), AggregatesTopology.streamsConfig(ids.aggregates(),
                            options.dir.resolve("aggregates-state").toString(), Replication.SINGLE_NODE), "127.0.0.1", 0);
            services.put(Stage.AGGREGATES, new Running(aggregates, aggregates::start, aggregates::ready));
        }
        if (options.stages.contains(Stage.UI)) {
            UiService ui = ui(options);
            services.put(Stage.UI, new Running(ui, ui::start, ui::ready));
        }
    }

    /** The UI as {@code xssab ui} runs it: its users in a hashed users file; on a secured cluster, https with the node's certificate. */
    private UiService ui(PipelineBuilder options) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(UiUsers.line(options.uiUser, options.uiPassword, UiRole.OPERATOR));
        options.moreUiUsers.forEach(u -> lines.add(UiUsers.line(u.user(), u.password(), u.role())));
        Path users = Files.write(options.dir.resolve("ui-credentials"), lines);
        UiTls tls = cluster.secured() ? UiTls.load(cluster.security().keystore(), cluster.security().storePassword()) : UiTls.PLAIN;
        return UiService.open(cluster.clientsFor(ClusterAccess.UI), topicsFor(ClusterAccess.UI), auditDatabase(options),
                new UiService.Options(cluster.secured() ? Topics.requestsFrom(ClusterAccess.UI) : Topics.REQUESTS,
                        aggregatesUrl(), options.uiHealth, UiUsers.read(users), "127.0.0.1", 0, tls));
    }

    /** The sink's and the UI's store: the embedded H2 file database in the pipeline's folder. */
    private static AuditDatabase auditDatabase(PipelineBuilder options) {
        return AuditDatabase.embedded(options.dir.resolve("audit"));
    }

    private void startAll() throws InterruptedException {
        for (Running running : services.values()) {
            running.start().start();
        }
    }

    /** Null when every service of the pipeline is ready, else the first that is not and why. */
    public String ready() {
        for (var service : services.entrySet()) {
            String problem = service.getValue().ready().get();
            if (problem != null) {
                return service.getKey().name().toLowerCase(java.util.Locale.ROOT) + ": " + problem;
            }
        }
        return null;
    }

    /** Waits until {@link #ready()} is null; fails naming the service that is not, and why. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String problem = ready();
        while (problem != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline is not ready within " + timeout.toSeconds() + " s: " + problem);
            }
            Thread.sleep(200);
            problem = ready();
        }
    }

    public PipelineCluster cluster() {
        return cluster;
    }

    public Ids ids() {
        return ids;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public String registryUrl() {
        return cluster.registryUrl();
    }

    /** The admin's clients (on a plain cluster, everyone's). */
    public KafkaClients clients() {
        return cluster.clients();
    }

    /** The topics as a client sees them: plain, everyone's; secured, the client principal's registry credentials. */
    public Topics topics() {
        return cluster.topics();
    }

    /** The topics as {@code principal} sees them (one instance per principal, so serdes share their schema cache). */
    public Topics topicsFor(String principal) {
        return cluster.topicsFor(principal);
    }

    public GatewayService gateway() {
        return service(Stage.GATEWAY, GatewayService.class);
    }

    public ExplainerService explainer() {
        return service(Stage.EXPLAINER, ExplainerService.class);
    }

    public AuditService audit() {
        return service(Stage.AUDIT, AuditService.class);
    }

    public AggregatesService aggregates() {
        return service(Stage.AGGREGATES, AggregatesService.class);
    }

    public UiService ui() {
        return service(Stage.UI, UiService.class);
    }

    /** The aggregates' base URL; without the service, a loopback port nobody listens on. */
    public URI aggregatesUrl() {
        Running aggregates = services.get(Stage.AGGREGATES);
        return URI.create("http://127.0.0.1:" + (aggregates != null ? ((AggregatesService) aggregates.service()).port()
                : LoopbackPorts.unused()));
    }

    private <T> T service(Stage stage, Class<T> type) {
        Running running = services.get(stage);
        if (running == null) {
            throw new IllegalStateException("this pipeline runs no " + stage + " (see PipelineBuilder.services)");
        }
        return type.cast(running.service());
    }

    /** Stops and closes the services (last started first), then the registry and the broker if it started them. */
    @Override
    public void close() {
        try {
            closeServices();
        } finally {
            if (ownsCluster) {
                cluster.close();
            }
        }
    }

    private void closeServices() {
        List<Running> reverse = new ArrayList<>(services.values());
        java.util.Collections.reverse(reverse);
        RuntimeException failure = null;
        for (Running running : reverse) {
            try {
                running.service().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the pipeline's services failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
