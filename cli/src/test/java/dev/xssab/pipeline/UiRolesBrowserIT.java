package dev.xssab.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.xssab.kafka.CheckedProducer;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.testkit.SharedData;
import dev.xssab.testkit.pipeline.Pipeline;
import dev.xssab.ui.UiRole;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI's roles and its CSRF check in a real Chromium over the pipeline on the embedded broker:
 * a viewer's request page draws no image and the image URL answers the viewer 403; an auditor
 * sees both faces; a page of another origin that posts a replay form, in a browser holding an
 * operator's basic credentials for the UI, is refused and publishes nothing.
 */
class UiRolesBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String OPERATOR = "op";
    private static final String OPERATOR_PASSWORD = "op-long-test-password";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void eachRoleSeesWhatItMayAndAnotherOriginCannotReplay() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Chromium is not installed (.ci/run installs Debian's chromium and chromium-driver)");
            }
            assumeTrue(false, "Chromium or chromedriver is not installed: apt-get install chromium chromium-driver");
        }
        Path faces = SharedData.deepface();
        try (Pipeline pipeline = Pipeline.builder(tmp).named("ui-roles-it").uiUser(OPERATOR, OPERATOR_PASSWORD)
                .withUiUser("vera", "vera-long-test-password", UiRole.VIEWER)
                .withUiUser("aude", "aude-long-test-password", UiRole.AUDITOR).start();
                CheckedProducer producer = new CheckedProducer(pipeline.clients(), Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        Topics.MAX_MESSAGE_BYTES))) {
            String base = "http://127.0.0.1:" + pipeline.ui().port();
            send(producer, pipeline.topics(), request("roles-pair-1", faces, "img1.jpg", "img2.jpg", true));
            send(producer, pipeline.topics(), request("roles-dup-1", faces, "img3.jpg", "img4.jpg", false));
            send(producer, pipeline.topics(), request("roles-dup-1", faces, "img3.jpg", "img4.jpg", false));
            WebDriver browser = chromium();
            try {
                // Explained, so that the request page has faces to leave out: a page without an explanation would prove nothing.
                waitFor(browser, 60, () -> stored(base, "roles-pair-1").has("explanation"), "roles-pair-1 explained in the audit store");
                viewerSeesNoFace(browser, base);
                auditorSeesBothFaces(browser, base);
                anotherOriginCannotReplay(browser, base, pipeline);
            } finally {
                browser.quit();
            }
        }
    }

    private static void viewerSeesNoFace(WebDriver browser, String base) {
        logIn(browser, base, "vera", "vera-long-test-password");
        browser.get(base + "/requests/roles-pair-1");
        waitFor(browser, 15, () -> !browser.findElements(By.id("faces-note")).isEmpty(), "the viewer's note instead of faces");
        assertTrue(browser.findElement(By.id("summary")).getText().contains("score"), "the viewer sees the decision and score");
        Object withSource = script(browser).executeScript(
                "return [...document.querySelectorAll('img')].filter((i) => i.getAttribute('src')).length;");
        assertEquals(0L, withSource, "no <img> with a src on the viewer's request page");
        Object answer = script(browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " fetch(arguments[0]).then(async (r) => done(r.status + ' ' + await r.text()));",
                "/api/requests/roles-pair-1/probe/face.png");
        assertEquals("403 {\"error\":\"role viewer may not see faces or maps\"}", answer);
        browser.get(base + "/rejections");
        waitFor(browser, 30, () -> browser.findElement(By.id("rejections")).getText().contains("DUPLICATE_REQUEST"),
                "the duplicate among the viewer's rejections");
        assertTrue(browser.findElements(By.cssSelector("button.replay")).isEmpty(), "no replay button for a viewer");
    }

    private static void auditorSeesBothFaces(WebDriver browser, String base) {
        logIn(browser, base, "aude", "aude-long-test-password");
        browser.get(base + "/requests/roles-pair-1");
        for (String img : new String[] {"probe-face", "reference-face"}) {
            waitFor(browser, 15, () -> Boolean.TRUE.equals(script(browser).executeScript("const i = document.getElementById(arguments[0]);"
                    + " return i !== null && i.complete && i.naturalWidth > 0;", img)), img + " loaded for the auditor");
        }
    }

    /**
     * The browser first holds the operator's basic credentials for the UI (a SameSite=Strict cookie
     * would not travel with another site's form, and the test would prove nothing); then a page of
     * http://localhost:Q, another origin, posts the replay form on load.
     */
    private static void anotherOriginCannotReplay(WebDriver browser, String base, Pipeline pipeline) throws Exception {
        browser.manage().deleteAllCookies();
        browser.get(base.replace("http://", "http://" + OPERATOR + ":" + OPERATOR_PASSWORD + "@") + "/api/models");
        waitFor(browser, 10, () -> browser.getPageSource().contains("fr_feature"), "the models API with cached basic credentials");
        JsonNode duplicate = null;
        for (JsonNode r : get(base, "/api/rejections?reason=DUPLICATE_REQUEST")) {
            duplicate = r;
        }
        String replay = base + "/api/rejections/replay?partition=" + duplicate.get("partition").asInt() + "&offset="
                + duplicate.get("offset").asLong();
        long requestsBefore = endOffsets(pipeline);
        HttpServer foreign = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = ("<!doctype html><html><body><form id='f' method='POST' action='" + replay + "'></form>"
                + "<script>document.getElementById('f').submit();</script></body></html>").getBytes(StandardCharsets.UTF_8);
        foreign.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        foreign.start();
        try {
            browser.get("http://localhost:" + foreign.getAddress().getPort() + "/");
            waitFor(browser, 15, () -> browser.getCurrentUrl().startsWith(base + "/api/rejections/replay"), "the form posted");
            waitFor(browser, 10, () -> browser.getPageSource().contains("cross-origin request refused"), "the refusal");
            assertFalse(browser.getPageSource().contains("requestId"), "no replay: " + browser.getPageSource());
        } finally {
            foreign.stop(0);
        }
        assertEquals(requestsBefore, endOffsets(pipeline), "no request was published by the forged replay");
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
    }

    private static void logIn(WebDriver browser, String base, String user, String password) {
        browser.manage().deleteAllCookies();
        browser.get(base + "/login");
        browser.findElement(By.id("user")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login")).click();
        waitFor(browser, 10, () -> browser.findElements(By.cssSelector("#results")).size() == 1, user + "'s live page");
    }

    private static JavascriptExecutor script(WebDriver browser) {
        return (JavascriptExecutor) browser;
    }

    /** The sum of the requests topic's end offsets: what a replay would raise. */
    private static long endOffsets(Pipeline pipeline) {
        try (KafkaConsumer<byte[], byte[]> consumer = pipeline.clients().consumer(Map.of(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.REQUESTS).stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** An API's JSON as the operator gets it (basic authentication, as a script). */
    private static JsonNode get(String base, String path) throws Exception {
        String basic = Base64.getEncoder().encodeToString((OPERATOR + ":" + OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    }

    private static JsonNode stored(String base, String id) {
        try {
            return get(base, "/api/requests/" + id);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static void waitFor(WebDriver browser, int seconds, java.util.function.BooleanSupplier condition, String what) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(250)).until(d -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("not within " + seconds + " s: " + what, e);
        }
    }

    private static void send(CheckedProducer producer, Topics topics, VerificationRequest r) {
        producer.send(new ProducerRecord<>(Topics.REQUESTS, r.getRequestId(),
                topics.requests().valueSerde().serializer().serialize(Topics.REQUESTS, r)));
        producer.flush();
    }

    private static VerificationRequest request(String id, Path faces, String probe, String reference, boolean explain)
            throws Exception {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now()).setClientId("ui-roles-it")
                .setProbe(ByteBuffer.wrap(Files.readAllBytes(faces.resolve(probe))))
                .setReference(ByteBuffer.wrap(Files.readAllBytes(faces.resolve(reference)))).setExplain(explain).build();
    }
}
