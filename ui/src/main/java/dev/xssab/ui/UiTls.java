package dev.xssab.ui;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * How the UI is served: over TLS with the certificate of a PKCS12 keystore, or ({@link #PLAIN})
 * over plain HTTP. Under TLS the session cookie is marked {@code Secure}. The one connector binds
 * the UI's host only.
 */
public final class UiTls {
    /** Plain HTTP: for loopback, or behind a proxy that terminates TLS. */
    public static final UiTls PLAIN = new UiTls(null);

    private final SSLContext context;

    private UiTls(SSLContext context) {
        this.context = context;
    }

    /**
     * TLS from a PKCS12 keystore holding the UI's key and certificate.
     *
     * @throws IOException naming the keystore when it cannot be read or opened with {@code password}
     */
    public static UiTls load(Path keystore, String password) throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            char[] secret = password == null ? new char[0] : password.toCharArray();
            store.load(in, secret);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            return new UiTls(tls);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the UI keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    public boolean enabled() {
        return context != null;
    }

    /** {@code https} or {@code http}, for the UI's URL. */
    public String scheme() {
        return enabled() ? "https" : "http";
    }

    /** The Jetty connector on {@code host:port}: TLS when enabled, plain HTTP otherwise. */
    ServerConnector connector(Server server, HttpConfiguration httpConfig, String host, int port) {
        ServerConnector connector;
        if (context == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(context);
            HttpConfiguration secure = new HttpConfiguration(httpConfig);
            // The certificate is the operator's; Jetty's check of the Host header against its names is not the UI's to add.
            secure.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(secure));
        }
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
