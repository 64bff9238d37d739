package dev.xssab.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xssab.broker.SecureNode;
import dev.xssab.testkit.pipeline.Pipeline;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI of a secured pipeline on the embedded SASL_SSL broker, as xssab up --secure runs it:
 * https with the node's certificate, which the stack's truststore trusts and the JDK's does not;
 * plain HTTP on its port gets no page; the session cookie is Secure.
 */
class SecureUiIT {
    @TempDir
    Path tmp;

    @Test
    void aSecuredUiAnswersHttpsWithTheStacksTruststoreAndRefusesPlainHttp() throws Exception {
        try (Pipeline pipeline = Pipeline.builder(tmp).secure().named("ui-tls-it").services(Pipeline.Stage.UI).start()) {
            URI url = pipeline.ui().url();
            assertEquals("https", url.getScheme(), url.toString());
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(pipeline.cluster().security())).build();
            HttpResponse<String> me = https.send(HttpRequest.newBuilder(url.resolve("/api/me")).header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString("tester:a-long-test-password".getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, me.statusCode(), me.body());
            assertEquals("{\"user\":\"tester\",\"role\":\"operator\"}", me.body());
            HttpResponse<String> login = https.send(HttpRequest.newBuilder(url.resolve("/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user=tester&password=a-long-test-password")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("Set-Cookie").orElse("(none)");
            assertTrue(cookie.startsWith("xssab_session=") && cookie.contains("Secure"), "a Secure session cookie: "
                    + cookie.replaceFirst("=[^;]*", "=(token)"));

            assertThrows(SSLHandshakeException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/login"))
                    .build(), HttpResponse.BodyHandlers.discarding()), "the JDK's own truststore does not know the stack's certificate");
            URI plain = URI.create("http://127.0.0.1:" + pipeline.ui().port() + "/login");
            String answer;
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).build(),
                        HttpResponse.BodyHandlers.ofString());
                answer = r.statusCode() + " " + r.body();
            } catch (IOException refused) {
                answer = refused.getClass().getSimpleName() + ": " + refused.getMessage();
            }
            System.out.println("plain HTTP on the https port: " + answer);
            assertFalse(answer.startsWith("200"), "plain HTTP gets no page: " + answer);
        }
    }

    private static SSLContext trusting(SecureNode node) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(node.truststore())) {
            trust.load(in, node.storePassword().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
