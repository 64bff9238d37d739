package dev.xssab.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Turns a Kafka client failure into one line naming its cause. A PLAINTEXT client facing a TLS
 * listener sees only disconnects until a timeout; so on a timeout the first bootstrap address is
 * probed: if it completes a TLS handshake, the cluster wants TLS and (in practice) SASL credentials.
 */
public final class ClusterDiagnosis {
    private ClusterDiagnosis() {}

    /** One line for a failure of a client of {@code clients}. */
    public static String explain(KafkaClients clients, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException) {
                return "authentication failed at " + clients.bootstrapServers() + ": " + t.getMessage();
            }
            if (t instanceof AuthorizationException) {
                return "not authorized: " + t.getMessage() + " (the principal lacks an ACL for this)";
            }
            if (t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return "no answer from " + clients.bootstrapServers() + " (" + t.getMessage() + "): " + probe(clients);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? failure.getMessage() : failure.getMessage() + ": " + root.getMessage();
    }

    /** What listens at the first bootstrap address, as far as a plain socket and a TLS handshake can tell. */
    static String probe(KafkaClients clients) {
        String first = clients.bootstrapServers().split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        String host = first.substring(0, colon);
        int port = Integer.parseInt(first.substring(colon + 1));
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), 3000);
        } catch (IOException e) {
            return "nothing accepts connections at " + first + " (is the broker running?)";
        }
        boolean speaksTls = false;
        try {
            // Trust-all only to learn whether TLS is spoken here; nothing is sent over this socket.
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ProbeOnly()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket()) {
                tls.connect(new InetSocketAddress(host, port), 3000);
                tls.setSoTimeout(3000);
                tls.startHandshake();
                speaksTls = true;
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            speaksTls = false;
        }
        if (speaksTls && "PLAINTEXT".equalsIgnoreCase(clients.securityProtocol())) {
            return "the broker at " + first + " speaks TLS: it requires authentication, and this client has no security"
                    + " settings (give --config with security.protocol=SASL_SSL, sasl.* and ssl.truststore.*, e.g. the"
                    + " client file 'xssab up --secure' printed)";
        }
        return "the broker at " + first + " accepts connections but does not answer this client's "
                + clients.securityProtocol() + " requests (wrong security.protocol or port?)";
    }

    /** Accepts any certificate: used only to detect a TLS listener, never to exchange data. */
    private static final class ProbeOnly implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
