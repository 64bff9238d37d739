package dev.xssab.cli;

import dev.xssab.config.CommonSettings;
import dev.xssab.config.Replication;
import dev.xssab.config.ServiceConfig;
import dev.xssab.config.Setting;
import dev.xssab.config.SettingGroup;
import dev.xssab.kafka.ClusterDiagnosis;
import dev.xssab.kafka.KafkaClients;
import dev.xssab.kafka.TopicAdmin;
import dev.xssab.kafka.client.ClientSettings;
import dev.xssab.kafka.client.PipelineClient;
import dev.xssab.kafka.client.PipelineClientException;
import dev.xssab.observability.ServiceEndpoint;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.serde.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The settings of a command: {@code --config FILE}, the environment, and one flag per declared
 * setting of the groups the command uses ({@link UsesSettings}); the flags are made from the
 * declarations at start ({@link #addFlags}), so none is written twice.
 */
public final class ServiceOptions {
    /** A command that reads declared settings. */
    public interface UsesSettings {
        List<SettingGroup> settingGroups();
    }

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file of settings (see ./xssab config "
            + "--doc); Kafka client settings under the prefix kafka. Then XSSAB_* variables, then flags, win.")
    Path configFile;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private ServiceConfig loaded;

    /** Adds the flags of every declared setting to each command (and subcommand) that uses settings. */
    static void addFlags(CommandLine cli) {
        if (cli.getCommand() instanceof UsesSettings user) {
            for (Setting s : settingsOf(user)) {
                OptionSpec own = cli.getCommandSpec().findOption(s.flag());
                if (own != null) {
                    // Two options of one name: the command's own would silently shadow the setting (and its value type).
                    throw new IllegalStateException("xssab " + cli.getCommandName() + ": its option " + s.flag()
                            + " collides with the flag of the declared setting " + s.key() + "; rename one of them");
                }
                Object defaultValue = XssabSettings.CATALOG.defaultValue(s);
                OptionSpec.Builder b = OptionSpec.builder(s.flag()).type(String.class)
                        .paramLabel(s.type() == ConfigDef.Type.BOOLEAN ? "true|false" : s.type().name())
                        .description(s.doc() + " [" + s.key() + ", " + s.env()
                                + (defaultValue == null || s.secret() ? "" : ", default " + defaultValue) + "]");
                if (s.type() == ConfigDef.Type.BOOLEAN) {
                    b.arity("0..1").fallbackValue("true");
                }
                cli.getCommandSpec().addOption(b.build());
            }
        }
        cli.getSubcommands().values().forEach(ServiceOptions::addFlags);
    }

    /** The command's settings, read once; a bad value fails here, naming the key. */
    public ServiceConfig config() {
        if (loaded == null) {
            Map<String, String> flags = new HashMap<>();
            // Only the groups the command uses have generated flags; any other option of the same name is the command's own.
            for (Setting s : settingsOf((UsesSettings) mixee.userObject())) {
                OptionSpec o = mixee.findOption(s.flag());
                if (o != null && o.getValue() != null) {
                    flags.put(s.key(), o.getValue());
                }
            }
            loaded = ServiceConfig.load(XssabSettings.CATALOG, configFile, System.getenv(), flags);
            Logging.use(loaded.string(CommonSettings.LOG_FORMAT), mixee.name());
        }
        return loaded;
    }

    private static List<Setting> settingsOf(UsesSettings command) {
        return command.settingGroups().stream().flatMap(g -> g.settings().stream()).toList();
    }

    public KafkaClients clients() {
        return KafkaClients.of(config());
    }

    /**
     * The topic registry for these servers, with missing application topics created when allowed.
     *
     * @throws PipelineClientException naming why the cluster cannot be used (address, TLS, credentials, ACLs)
     */
    public Topics topics() {
        ServiceConfig c = config();
        Topics topics = Topics.create(c.serdeConfig());
        Replication replication = replication();
        try {
            TopicAdmin.requireBrokersFor(KafkaClients.of(c), replication);
            if (c.flag(CommonSettings.TOPICS_CREATE)) {
                TopicAdmin.ensureTopics(KafkaClients.of(c), topics, c.integer(CommonSettings.TOPICS_PARTITIONS), replication,
                        c.longValue(CommonSettings.TOPICS_RETENTION_MS));
            }
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PipelineClientException(ClusterDiagnosis.explain(KafkaClients.of(c), e), e);
        }
        return topics;
    }

    /** How the topics this command makes are replicated (declared settings only). */
    public Replication replication() {
        return Replication.from(config());
    }

    /** A client that submits requests as this command's settings say (servers, security, principal). */
    public PipelineClient pipelineClient(Topics topics) {
        return new PipelineClient(clients(), topics, new ClientSettings(config()).principal().orElse(null));
    }

    /**
     * The service's /metrics and /health endpoint, started now on the declared host and port; its
     * registry also receives Kafka's own metrics of every client built by {@link #meteredClients}.
     */
    public ServiceEndpoint endpoint(String service, int port) throws java.io.IOException {
        return ServiceEndpoint.start(service, config().string(CommonSettings.METRICS_HOST), port);
    }

    /** The Kafka clients of a service, each reporting its metrics to the service's endpoint. */
    public KafkaClients meteredClients(ServiceEndpoint endpoint) {
        return clients().withMetrics(endpoint.registry());
    }

    /** Adds a service's own readiness checks to its endpoint, then {@link #registryReachable}. */
    public void readyWhen(ServiceEndpoint endpoint, Map<String, ServiceEndpoint.Check> checks) {
        checks.forEach(endpoint::readyWhen);
        endpoint.readyWhen("registry", registryReachable());
    }

    /** A readiness check: the schema registry answers this service's credentials. */
    ServiceEndpoint.Check registryReachable() {
        Map<String, Object> serde = config().serdeConfig();
        return () -> {
            try {
                SchemaRegistryClient.shared(serde).get("/subjects");
                return null;
            } catch (RuntimeException e) {
                return "schema registry: " + e.getMessage();
            }
        };
    }

    /** The clientId written into requests. */
    public String clientId() {
        return new ClientSettings(config()).clientId();
    }
}
