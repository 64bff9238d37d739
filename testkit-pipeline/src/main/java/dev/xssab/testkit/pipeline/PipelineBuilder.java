package dev.xssab.testkit.pipeline;

import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.ui.UiRole;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a {@link Pipeline} runs: plain or secured, which services, which models, and their few test settings. */
public final class PipelineBuilder {
    final Path dir;
    boolean secure;
    List<String> otherDoors = List.of();
    String name = "it";
    int partitions = 2;
    List<RecognitionModelSpec> models = List.of(RecognitionModelSpec.frFeature());
    EnumSet<Pipeline.Stage> stages = EnumSet.allOf(Pipeline.Stage.class);
    Set<String> evaluationPrincipals;
    int explainerBatch = 4;
    String uiUser = "tester";
    String uiPassword = "a-long-test-password";
    /** UI users beside the operator of {@link #uiUser}, each in its role. */
    List<UiUser> moreUiUsers = new ArrayList<>();
    Map<String, URI> uiHealth = new LinkedHashMap<>();

    /** A UI user of {@link #withUiUser}. */
    record UiUser(String user, String password, UiRole role) {}

    PipelineBuilder(Path dir) {
        this.dir = dir;
    }

    /** A secured cluster (SASL_SSL, ACLs, https registry with basic authentication); each service its own principal. */
    public PipelineBuilder secure() {
        this.secure = true;
        return this;
    }

    /** A secured cluster with doors besides {@code client}, each a principal with its own topics and the ACLs of a door. */
    public PipelineBuilder secure(String... otherDoors) {
        this.otherDoors = List.of(otherDoors);
        return secure();
    }

    /** The prefix of the group and application ids ({@code NAME-gateway}, ...); default "it". */
    public PipelineBuilder named(String prefix) {
        this.name = prefix;
        return this;
    }

    /** Partitions of every application topic; default 2. */
    public PipelineBuilder partitions(int count) {
        this.partitions = count;
        return this;
    }

    /** The models the explainer serves, the default first; default fr_feature. */
    public PipelineBuilder models(RecognitionModelSpec first, RecognitionModelSpec... more) {
        this.models = java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.stream.Stream.of(more)).toList();
        return this;
    }

    /** Which services run in this JVM; default all. The broker and the registry always do. */
    public PipelineBuilder services(Pipeline.Stage first, Pipeline.Stage... more) {
        this.stages = EnumSet.of(first, more);
        return this;
    }

    /** No service: only the broker and the registry (a test that runs the services itself, as processes). */
    public PipelineBuilder noServices() {
        this.stages = EnumSet.noneOf(Pipeline.Stage.class);
        return this;
    }

    /** Who may bring a request's own threshold; default any principal (plain) or the evaluator (secured). */
    public PipelineBuilder evaluationPrincipals(Set<String> principals) {
        this.evaluationPrincipals = Set.copyOf(principals);
        return this;
    }

    /** The explainer's largest batch; default 4. */
    public PipelineBuilder explainerBatch(int pairs) {
        this.explainerBatch = pairs;
        return this;
    }

    /** The UI's operator; default tester / a-long-test-password. */
    public PipelineBuilder uiUser(String user, String password) {
        this.uiUser = user;
        this.uiPassword = password;
        return this;
    }

    /** Another UI user, in {@code role}; none by default. */
    public PipelineBuilder withUiUser(String user, String password, UiRole role) {
        moreUiUsers.add(new UiUser(user, password, role));
        return this;
    }

    /** The services the UI's health page asks, by name, in order; default none. */
    public PipelineBuilder uiHealth(Map<String, URI> services) {
        this.uiHealth = new LinkedHashMap<>(services);
        return this;
    }

    /** Starts the cluster and the services, and returns once every service says it is ready; closing it closes all. */
    public Pipeline start() throws Exception {
        return Pipeline.start(this);
    }

    /**
     * Starts the services on a cluster the caller started (and closes after the pipeline), for a
     * test that must do something on the cluster before the services run.
     */
    public Pipeline startOn(PipelineCluster cluster) throws Exception {
        return Pipeline.startOn(cluster, this);
    }
}
