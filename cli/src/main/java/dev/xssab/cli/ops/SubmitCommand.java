package dev.xssab.cli.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xssab.cli.Json;
import dev.xssab.cli.PairInputs;
import dev.xssab.cli.ServiceOptions;
import dev.xssab.cli.UserException;
import dev.xssab.config.CommonSettings;
import dev.xssab.config.SettingGroup;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.kafka.client.PipelineClient.Outcome;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.render.ExplanationRecords;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.VerificationRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xssab submit}: publish one request to the running pipeline and wait for its outcome. */
@Command(name = "submit", description = "Send a pair through the pipeline (Kafka) and print the outcome as JSON.")
public final class SubmitCommand implements Callable<Integer>, ServiceOptions.UsesSettings {
    @Override
    public List<SettingGroup> settingGroups() {
        return List.of(CommonSettings.KAFKA, CommonSettings.SCHEMA_REGISTRY_CLIENT, ClientSettings.GROUP);
    }

    @Parameters(index = "0", paramLabel = "PROBE")
    Path probe;

    @Parameters(index = "1", paramLabel = "REFERENCE")
    Path reference;

    @Option(names = "--explain", description = "Ask for xSSAB maps too.")
    boolean explain;

    @Option(names = "--out", paramLabel = "DIR", description = "With --explain: draw the panel here.")
    Path out;

    @Option(names = "--timeout", description = "How long to wait, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofSeconds(60);

    @Option(names = "--request-id", description = "Default: a random UUID.")
    String requestId;

    @Mixin
    ServiceOptions service;

    @Override
    public Integer call() throws Exception {
        String id = requestId != null ? requestId : UUID.randomUUID().toString();
        VerificationRequest request = VerificationRequest.newBuilder()
                .setRequestId(id)
                .setSubmittedAtMs(Instant.now())
                .setProbe(ByteBuffer.wrap(PairInputs.read(probe)))
                .setReference(ByteBuffer.wrap(PairInputs.read(reference)))
                .setExplain(explain)
                .setClientId(service.clientId())
                .build();
        Topics topics = service.topics();
        long t0 = System.nanoTime();
        try (PipelineClient client = service.pipelineClient(topics)) {
            client.send(request);
            client.flush();
            Outcome o = client.await(id, explain, timeout);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (o == null) {
                throw new UserException("no outcome for request " + id + " within " + timeout.toSeconds()
                        + " s; is the stack running (./xssab up)?");
            }
            ObjectNode json = outcome(id, o);
            json.put("round_trip_ms", Json.round(ms, 1));
            Json.print(json);
            return o.rejection() != null ? 3 : 0;
        }
    }

    /** The outcome as the JSON submit prints: the rejection, or the decision with its explanation's totals and panel. */
    private ObjectNode outcome(String id, Outcome o) throws java.io.IOException {
        ObjectNode json = Json.object();
        json.put("request_id", id);
        if (o.rejection() != null) {
            json.put("status", "REJECTED");
            json.put("reason", o.rejection().getReason().name());
            json.put("stage", o.rejection().getStage().name());
            json.put("message", o.rejection().getMessage());
            return json;
        }
        json.put("status", "DECIDED");
        json.put("model", o.result().getModelId());
        json.put("score", Json.round(o.result().getScore(), 6));
        json.put("threshold", Json.round(o.result().getThreshold(), 6));
        json.put("decision", o.result().getDecision().name());
        if (o.explanation() != null) {
            json.put("probe_s_plus", Json.round(o.explanation().getProbe().getSPlus(), 6));
            json.put("probe_s_minus", Json.round(o.explanation().getProbe().getSMinus(), 6));
            if (out != null) {
                json.put("panel", ExplanationRecords.render(o.explanation(), out).get("panel").toString());
            }
        }
        return json;
    }
}
