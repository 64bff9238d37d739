package dev.xssab.kafka;

import dev.xssab.config.Replication;
import dev.xssab.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * rejections, and cannot read results; a client writes only its own request topic and reads only
 * its own outcome topics, so that no door sees the faces taken at another; only the operator
 * writes thresholds. Applied by an admin ({@link #apply}).
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

    /** Every principal of the system, with the one door of the local stack ({@link #CLIENT}). */
    public static final List<String> PRINCIPALS = List.of(GATEWAY, EXPLAINER, AUDIT, AGGREGATES, REGISTRY, CLIENT, EVALUATOR,
            OPERATOR, UI);

    private ClusterAccess() {}

    /** Every principal, with {@code otherDoors} (access-control systems besides {@link #CLIENT}) added. */
    public static List<String> principals(List<String> otherDoors) {
        List<String> all = new ArrayList<>(PRINCIPALS);
        for (String door : otherDoors) {
            if (!Topics.hasOwnOutcomes(door) || all.contains(door)) {
                throw new IllegalArgumentException("a door is named with letters, digits, _ and - only, and not as another principal: "
                        + door);
            }
            all.add(door);
        }
        return List.copyOf(all);
    }

    /**
     * The principals that submit through a request topic of their own and read only their own
     * outcomes: the doors, the evaluator, and the UI (its replays).
     */
    public static List<String> submitters(List<String> otherDoors) {
        List<String> all = new ArrayList<>(List.of(CLIENT, EVALUATOR, UI));
        all.addAll(otherDoors);
        return List.copyOf(all);
    }

    /** The ACLs of every principal, with {@link #CLIENT} as the only door. */
    public static List<AclBinding> acls(String gatewayAppId, String explainerGroup, String auditGroup, String aggregatesAppId) {
        return acls(gatewayAppId, explainerGroup, auditGroup, aggregatesAppId, List.of());
    }

    /**
     * The ACLs of every principal. Face bytes are read across clients only by the audit (it stores
     * every explanation) and the UI (rejections, to replay them); a submitter reads its own outcomes.
     *
     * @param gatewayAppId the gateway's application.id (its group, internal topics and transactional ids)
     * @param explainerGroup the explainers' group, also their transactional id prefix
     * @param otherDoors doors besides {@link #CLIENT}, each with the ACLs of a door
     */
    public static List<AclBinding> acls(String gatewayAppId, String explainerGroup, String auditGroup, String aggregatesAppId,
            List<String> otherDoors) {
        principals(otherDoors); // checks the names
        List<AclBinding> acls = new ArrayList<>();
        // Gateway: every request topic (shared and per principal) in; aligned pairs and every dead-letter topic out.
        allow(acls, GATEWAY, topicPrefix(Topics.REQUESTS), AclOperation.READ, AclOperation.DESCRIBE);
        allow(acls, GATEWAY, topic(Topics.ALIGNED_PAIRS), AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(acls, GATEWAY, topicPrefix(Topics.REJECTIONS), AclOperation.WRITE, AclOperation.DESCRIBE);
        streamsApp(acls, GATEWAY, gatewayAppId);
        // Explainer: aligned pairs in; every results, explanations and dead-letter topic out; thresholds read.
        allow(acls, EXPLAINER, topic(Topics.ALIGNED_PAIRS), AclOperation.READ, AclOperation.DESCRIBE);
        for (String out : List.of(Topics.RESULTS, Topics.EXPLANATIONS, Topics.REJECTIONS)) {
            allow(acls, EXPLAINER, topicPrefix(out), AclOperation.WRITE, AclOperation.DESCRIBE);
        }
        allow(acls, EXPLAINER, topic(Topics.THRESHOLDS), AclOperation.READ, AclOperation.DESCRIBE);
        allow(acls, EXPLAINER, new ResourcePattern(ResourceType.GROUP, explainerGroup, PatternType.LITERAL), AclOperation.READ);
        allow(acls, EXPLAINER, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, explainerGroup, PatternType.PREFIXED),
                AclOperation.WRITE, AclOperation.DESCRIBE);
        // Audit: every client's results and explanations in.
        for (String in : List.of(Topics.RESULTS, Topics.EXPLANATIONS)) {
            allow(acls, AUDIT, topicPrefix(in), AclOperation.READ, AclOperation.DESCRIBE);
        }
        allow(acls, AUDIT, new ResourcePattern(ResourceType.GROUP, auditGroup, PatternType.LITERAL), AclOperation.READ);
        // Aggregates: every client's results in (it counts only evaluation runs), aggregates out.
        allow(acls, AGGREGATES, topicPrefix(Topics.RESULTS), AclOperation.READ, AclOperation.DESCRIBE);
        allow(acls, AGGREGATES, topic(Topics.AGGREGATES), AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.READ);
        streamsApp(acls, AGGREGATES, aggregatesAppId);
        // Registry: its own log.
        allow(acls, REGISTRY, topic(Topics.SCHEMAS), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE,
                AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS);
        for (String submitter : submitters(otherDoors)) {
            submitter(acls, submitter);
        }
        allow(acls, EVALUATOR, topic(Topics.AGGREGATES), AclOperation.READ, AclOperation.DESCRIBE);
        // The UI: every client's results (the live page) and dead letters (to replay them), thresholds to show them.
        allow(acls, UI, topicPrefix(Topics.RESULTS), AclOperation.READ, AclOperation.DESCRIBE);
        allow(acls, UI, topicPrefix(Topics.REJECTIONS), AclOperation.READ, AclOperation.DESCRIBE);
        allow(acls, UI, topic(Topics.THRESHOLDS), AclOperation.READ, AclOperation.DESCRIBE);
        // Operator: the only writer of live thresholds.
        allow(acls, OPERATOR, topic(Topics.THRESHOLDS), AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.READ);
        return acls;
    }

    /**
     * A submitter writes its own request topic and reads its own three outcome topics, literally
     * (no prefix: "door-a" must not cover "door-ab"), by assignment or through a group of its own
     * prefix ({@code door-a.}; no principal has a dot, so no other's groups start so).
     */
    private static void submitter(List<AclBinding> acls, String principal) {
        allow(acls, principal, topic(Topics.requestsFrom(principal)), AclOperation.WRITE, AclOperation.DESCRIBE);
        for (String in : Topics.outcomesFor(Optional.of(principal)).all()) {
            allow(acls, principal, topic(in), AclOperation.READ, AclOperation.DESCRIBE);
        }
        allow(acls, principal, new ResourcePattern(ResourceType.GROUP, principal + ".", PatternType.PREFIXED), AclOperation.READ,
                AclOperation.DESCRIBE);
    }

    /**
     * As the admin: creates the SCRAM users, the topics (including each submitter's own request
     * and outcome topics) and the ACLs. Idempotent.
     *
     * @param passwords user -> password
     * @param otherDoors doors besides {@link #CLIENT} (as given to {@link #acls})
     */
    public static void apply(KafkaClients admin, Topics topics, int partitions, Replication replication,
            Map<String, String> passwords, List<AclBinding> acls, List<String> otherDoors, long faceRetentionMs) {
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
        TopicAdmin.ensureTopics(admin, topics, partitions, replication, faceRetentionMs);
        TopicAdmin.ensurePrincipalTopics(admin, submitters(otherDoors), partitions, replication, faceRetentionMs);
    }

    /** As {@link #apply(KafkaClients, Topics, int, Replication, Map, List, List, long)} with {@link #CLIENT} the only door. */
    public static void apply(KafkaClients admin, Topics topics, int partitions, Replication replication,
            Map<String, String> passwords, List<AclBinding> acls) {
        apply(admin, topics, partitions, replication, passwords, acls, List.of(), TopicAdmin.DEFAULT_FACE_RETENTION_MS);
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
