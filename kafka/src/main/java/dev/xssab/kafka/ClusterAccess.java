package dev.xssab.kafka;

import dev.xssab.schemas.Topics;

import dev.xssab.config.Replication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on a secured cluster: one principal per service, each with only the ACLs its
 * work needs, written down once here. The gateway reads requests and writes aligned pairs and
 * rejections, and cannot read results; a client writes only its own request topic; only the
 * operator writes thresholds. Applied by an admin ({@link #apply}).
 */
public final class ClusterAccess {
    public static final String GATEWAY = "gateway";
    public static final String EXPLAINER = "explainer";
    public static final String AUDIT = "audit";
    public static final String AGGREGATES = "aggregates";
    public static final String REGISTRY = "registry";
    public static final String CLIENT = "client";
    public static final String EVALUATOR = "evaluator";
    public static final String OPERATOR = "operator";
    public static final String UI = "ui";

    /** Every principal of the system. */
    public static final List<String> PRINCIPALS = List.of(GATEWAY, EXPLAINER, AUDIT, AGGREGATES, REGISTRY, CLIENT, EVALUATOR,
            OPERATOR, UI);

    private ClusterAccess() {}

    /**
     * The ACLs of every principal.
     *
     * @param gatewayAppId the gateway's application.id (its group, internal topics and transactional ids)
     * @param explainerGroup the explainers' group, also their transactional id prefix
     */
    public static List<AclBinding> acls(String gatewayAppId, String explainerGroup, String auditGroup, String aggregatesAppId) {
        List<AclBinding> acls = new ArrayList<>();
        // Gateway: every request topic (shared and per principal) in; aligned pairs and rejections out.
        allow(acls, GATEWAY, topicPrefix(Topics.REQUESTS), AclOperation.READ, AclOperation.DESCRIBE);
        allow(acls, GATEWAY, topic(Topics.ALIGNED_PAIRS), AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(acls, GATEWAY, topic(Topics.REJECTIONS), AclOperation.WRITE, AclOperation.DESCRIBE);
        streamsApp(acls, GATEWAY, gatewayAppId);
        // Explainer: aligned pairs in; results, explanations, rejections out; thresholds read.
        allow(acls, EXPLAINER, topic(Topics.ALIGNED_PAIRS), AclOperation.READ, AclOperation.DESCRIBE);
        for (String out : List.of(Topics.RESULTS, Topics.EXPLANATIONS, Topics.REJECTIONS)) {
            allow(acls, EXPLAINER, topic(out), AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        allow(acls, EXPLAINER, topic(Topics.THRESHOLDS), AclOperation.READ, AclOperation.DESCRIBE);
        allow(acls, EXPLAINER, new ResourcePattern(ResourceType.GROUP, explainerGroup, PatternType.LITERAL), AclOperation.READ);
        allow(acls, EXPLAINER, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, explainerGroup, PatternType.PREFIXED),
                AclOperation.WRITE, AclOperation.DESCRIBE);
        // Audit: results and explanations in.
        for (String in : List.of(Topics.RESULTS, Topics.EXPLANATIONS)) {
            allow(acls, AUDIT, topic(in), AclOperation.READ, AclOperation.DESCRIBE);
        }
        allow(acls, AUDIT, new ResourcePattern(ResourceType.GROUP, auditGroup, PatternType.LITERAL), AclOperation.READ);
        // Aggregates: results in, aggregates out.
        allow(acls, AGGREGATES, topic(Topics.RESULTS), AclOperation.READ, AclOperation.DESCRIBE);
        allow(acls, AGGREGATES, topic(Topics.AGGREGATES), AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.READ);
        streamsApp(acls, AGGREGATES, aggregatesAppId);
        // Registry: its own log.
        allow(acls, REGISTRY, topic(Topics.SCHEMAS), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE,
                AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS);
        // Clients: their own request topic out, outcomes in (read by assignment, no group).
        for (String client : List.of(CLIENT, EVALUATOR, UI)) {
            allow(acls, client, topic(Topics.requestsFrom(client)), AclOperation.WRITE, AclOperation.DESCRIBE);
            for (String in : List.of(Topics.RESULTS, Topics.EXPLANATIONS, Topics.REJECTIONS)) {
                allow(acls, client, topic(in), AclOperation.READ, AclOperation.DESCRIBE);
            }
        }
        allow(acls, EVALUATOR, topic(Topics.AGGREGATES), AclOperation.READ, AclOperation.DESCRIBE);
        // The UI: outcomes (above), thresholds to show them; it replays rejections through its own topic.
        allow(acls, UI, topic(Topics.THRESHOLDS), AclOperation.READ, AclOperation.DESCRIBE);
        // Operator: the only writer of live thresholds.
        allow(acls, OPERATOR, topic(Topics.THRESHOLDS), AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.READ);
        return acls;
    }

    /**
     * As the admin: creates the SCRAM users, the topics (including each client's own request
     * topic) and the ACLs. Idempotent.
     *
     * @param passwords user -> password
     */
    public static void apply(KafkaClients admin, Topics topics, int partitions, Replication replication,
            Map<String, String> passwords, List<AclBinding> acls) {
        try (Admin a = admin.admin()) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            passwords.forEach((user, password) -> users.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
            a.alterUserScramCredentials(new ArrayList<>(users)).all().get(60, TimeUnit.SECONDS);
            a.createAcls(acls).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set up users and ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("setting up users and ACLs took longer than 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted setting up users and ACLs", e);
        }
        TopicAdmin.ensureTopics(admin, topics, partitions, replication);
        Map<String, Integer> own = new LinkedHashMap<>();
        for (String client : List.of(CLIENT, EVALUATOR, UI)) {
            own.put(Topics.requestsFrom(client), partitions);
        }
        TopicAdmin.ensureRequestTopics(admin, own, replication);
    }

    private static void streamsApp(List<AclBinding> acls, String principal, String appId) {
        allow(acls, principal, new ResourcePattern(ResourceType.GROUP, appId, PatternType.LITERAL), AclOperation.READ);
        allow(acls, principal, new ResourcePattern(ResourceType.TOPIC, appId, PatternType.PREFIXED), AclOperation.ALL);
        allow(acls, principal, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, appId, PatternType.PREFIXED),
                AclOperation.WRITE, AclOperation.DESCRIBE);
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern topicPrefix(String prefix) {
        return new ResourcePattern(ResourceType.TOPIC, prefix, PatternType.PREFIXED);
    }

    private static void allow(List<AclBinding> acls, String principal, ResourcePattern on, AclOperation... operations) {
        for (AclOperation op : operations) {
            acls.add(new AclBinding(on, new AccessControlEntry("User:" + principal, "*", op, AclPermissionType.ALLOW)));
        }
    }
}
