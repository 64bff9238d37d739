package dev.xssab.registry;

import dev.xssab.config.Replication;
import dev.xssab.kafka.KafkaClients;
import io.javalin.Javalin;
import io.javalin.util.JavalinException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent Schema Registry REST API, Avro only ({@link RegistryRoutes} lists the paths), served
 * once its {@code _schemas} log has been replayed. Errors are Confluent's JSON
 * {@code {"error_code":..., "message":...}} with its codes.
 *
 * <p>Optionally served over https, and with HTTP basic authentication: every request must then
 * name a user of {@link RegistryUsers}, and only users with the write role may register schemas
 * or change compatibility (401 without valid credentials, 403 for a reader that writes).
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

    /**
     * How the registry is served: TLS when {@code tls} is set, basic authentication when
     * {@code users} is set. {@link #NONE} is plain http for anyone on the bound address.
     */
    public record Security(SSLContext tls, RegistryUsers users) {
        public static final Security NONE = new Security(null, null);

        /**
         * TLS from a PKCS12 keystore (when {@code keystore} is set) and basic authentication from
         * a users file (when {@code usersFile} is set).
         */
        public static Security load(Path keystore, String password, Path usersFile) throws IOException {
            return new Security(keystore == null ? null : tls(keystore, password),
                    usersFile == null ? null : RegistryUsers.read(usersFile));
        }

        private static SSLContext tls(Path keystore, String password) throws IOException {
            try (InputStream in = Files.newInputStream(keystore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                char[] secret = password == null ? new char[0] : password.toCharArray();
                store.load(in, secret);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, secret);
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(kmf.getKeyManagers(), null, null);
                return tls;
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot use the registry keystore " + keystore + ": " + e.getMessage(), e);
            }
        }
    }

    private final SchemaLog log;
    private final Javalin http;
    private final String host;
    private final boolean https;

    private SchemaRegistryServer(SchemaLog log, Javalin http, String host, boolean https) {
        this.log = log;
        this.http = http;
        this.host = host;
        this.https = https;
    }

    /** Plain http, no authentication: the embedded default and tests. */
    public static SchemaRegistryServer start(KafkaClients clients, String topic, Replication replication, String host,
            int port) throws IOException {
        return start(clients, topic, replication, host, port, Security.NONE);
    }

    /**
     * Replays the {@code topic} log, then serves on {@code host:port} (port 0: any free port).
     *
     * @param clients the Kafka clients of the registry's own log (with their security settings)
     * @param host the address to bind, and only that one; tests and the local stack use 127.0.0.1
     */
    public static SchemaRegistryServer start(KafkaClients clients, String topic, Replication replication, String host,
            int port, Security security) throws IOException {
        SchemaLog log = new SchemaLog(clients, topic, replication);
        RegistryState state = new RegistryState();
        try {
            log.replayInto(state);
            Javalin http = javalin(host, port, security.tls());
            RegistryAuth auth = new RegistryAuth(security.users());
            auth.install(http);
            new RegistryRoutes(state, log, auth).install(http);
            listen(http);
            SchemaRegistryServer server = new SchemaRegistryServer(log, http, host, security.tls() != null);
            LOG.info("schema registry on {} ({} subjects replayed from {})", server.url(), state.subjects().size(), topic);
            return server;
        } catch (IOException | RuntimeException e) {
            // Not listening (a port in use, say): the log's producer and admin would otherwise outlive the refusal.
            log.close();
            throw e;
        }
    }

    /** Starts listening; a port in use is the IOException it was before the move to Javalin. */
    private static void listen(Javalin http) throws IOException {
        try {
            http.start();
        } catch (JavalinException e) {
            http.stop();
            if (e.getCause() instanceof IOException cause) {
                throw new IOException(e.getMessage(), cause);
            }
            throw e;
        }
    }

    /** A Javalin app that, once started, listens on {@code host:port} only, over TLS when {@code tls} is set. */
    private static Javalin javalin(String host, int port, SSLContext tls) {
        return Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.disableCompression();
            config.http.maxRequestSize = RegistryJson.MAX_BODY_BYTES;
            QueuedThreadPool threads = new QueuedThreadPool(32, 2);
            threads.setName("schema-registry-http");
            // As before the move to Javalin: the registry's threads never keep the JVM alive.
            threads.setDaemon(true);
            config.jetty.threadPool = threads;
            config.jetty.addConnector((server, httpConfig) -> connector(server, httpConfig, host, port, tls));
            // Jetty's own refusals (before or outside any route) in Confluent's one-line JSON, not an HTML page.
            config.jetty.modifyServer(server -> server.setErrorHandler(new RegistryErrorPage()));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new RegistryErrorPage()));
        });
    }

    private static Connector connector(Server server, HttpConfiguration httpConfig, String host, int port, SSLContext tls) {
        ServerConnector connector;
        if (tls == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls);
            HttpConfiguration secure = new HttpConfiguration(httpConfig);
            // The certificate is the operator's; Jetty's check of the Host header against it is not the registry's to add.
            secure.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(secure));
        }
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    public int port() {
        return http.port();
    }

    public String url() {
        return (https ? "https" : "http") + "://" + host + ":" + port();
    }

    /**
     * Null while the registry can do its work, else why not (for readiness): its log has been
     * replayed and the broker that holds it answers, with a leader for it, so that a schema can
     * be registered now.
     */
    public String problem() {
        return log.problem();
    }

    @Override
    public void close() {
        http.stop();
        log.close();
    }
}
