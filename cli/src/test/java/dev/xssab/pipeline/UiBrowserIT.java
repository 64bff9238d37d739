package dev.xssab.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.xssab.broker.LoopbackPorts;
import dev.xssab.evaluator.aggregate.EvaluationTags;
import dev.xssab.kafka.CheckedProducer;
import dev.xssab.kafka.client.ThresholdPublisher;
import dev.xssab.models.RecognitionModelSpec;
import dev.xssab.schemas.Decision;
import dev.xssab.schemas.Topics;
import dev.xssab.schemas.avro.ModelThreshold;
import dev.xssab.schemas.avro.VerificationRequest;
import dev.xssab.schemas.avro.VerificationResult;
import dev.xssab.testkit.SharedData;
import dev.xssab.testkit.pipeline.Pipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real Chromium (Debian's chromium and chromium-driver, through Selenium) over the
 * whole pipeline on the embedded broker: a submitted pair appears live, its page shows both
 * faces and the maps, a bad request appears among the rejections, a replay produces a new
 * outcome, an evaluation draws curves, and a face image without authentication is refused.
 * Screenshots of every page go to target/screenshots.
 */
class UiBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path tmp;

    @Test
    void everyPageShowsWhatItShouldInARealBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Chromium is not installed (.ci/run installs Debian's chromium and chromium-driver)");
            }
            assumeTrue(false, "Chromium or chromedriver is not installed: apt-get install chromium chromium-driver");
        }
        Path faces = SharedData.deepface();
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        RecognitionModelSpec spec = RecognitionModelSpec.frFeature();
        // The health page asks a service that is not there, so that it has a "not ready" to show.
        try (Pipeline pipeline = Pipeline.builder(tmp).named("ui-it").uiUser("tester", "a-long-test-password")
                .uiHealth(Map.of("aggregates", URI.create("http://127.0.0.1:" + LoopbackPorts.unused() + "/health/ready"))).start()) {
            Topics topics = pipeline.topics();
            try (CheckedProducer producer = new CheckedProducer(pipeline.clients(), Map.of(
                    org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES))) {
                String base = "http://127.0.0.1:" + pipeline.ui().port();
                ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
                ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
                WebDriver browser = new ChromeDriver(service, options);
                try {
                    // Unauthenticated: pages send to the login form, APIs and images answer 401.
                    browser.get(base + "/");
                    assertTrue(browser.getCurrentUrl().endsWith("/login"), browser.getCurrentUrl());
                    browser.findElement(By.id("user")).sendKeys("tester");
                    browser.findElement(By.id("password")).sendKeys("a-long-test-password");
                    browser.findElement(By.id("login")).click();
                    waitFor(browser, 10, () -> browser.findElements(By.cssSelector("#results")).size() == 1, "the live page");

                    // A pair submitted appears on the live page within 30 s.
                    send(producer, topics, request("ui-pair-1", faces, "img1.jpg", "img2.jpg", true));
                    waitFor(browser, 30, () -> !browser.findElements(By.cssSelector("tr[data-request-id='ui-pair-1']")).isEmpty(),
                            "ui-pair-1 on the live page");
                    shot(browser, shots, "live");

                    // Its page: both faces and the three maps load.
                    waitFor(browser, 30, () -> exists(base, "ui-pair-1"), "ui-pair-1 in the audit store");
                    browser.get(base + "/requests/ui-pair-1");
                    for (String map : new String[] {"combined", "positive", "negative"}) {
                        new Select(browser.findElement(By.id("map"))).selectByValue(map);
                        for (String img : new String[] {"probe-face", "reference-face", "probe-map", "reference-map"}) {
                            waitFor(browser, 15, () -> loaded(browser, img, map), img + " (" + map + ") loaded");
                        }
                    }
                    assertTrue(browser.findElement(By.id("probe-s")).getText().startsWith("s+ "));
                    shot(browser, shots, "request");

                    // A bad request and a duplicate appear among the rejections; replaying the duplicate decides it.
                    send(producer, topics, request("ui-bad-1", faces, null, "img2.jpg", false));
                    send(producer, topics, request("ui-dup-1", faces, "img3.jpg", "img4.jpg", false));
                    send(producer, topics, request("ui-dup-1", faces, "img3.jpg", "img4.jpg", false));
                    waitFor(browser, 30, () -> exists(base, "ui-dup-1"), "ui-dup-1 decided once");
                    browser.get(base + "/rejections");
                    // The page re-reads the dead-letter topic, so the duplicate's rejection shows without a reload.
                    waitFor(browser, 30, () -> browser.findElement(By.id("rejections")).getText().contains("EMPTY_IMAGE")
                            && browser.findElement(By.id("rejections")).getText().contains("DUPLICATE_REQUEST"),
                            "EMPTY_IMAGE and DUPLICATE_REQUEST on the rejections page");
                    new Select(browser.findElement(By.id("reason"))).selectByValue("DUPLICATE_REQUEST");
                    waitFor(browser, 10, () -> !browser.findElement(By.id("rejections")).getText().contains("EMPTY_IMAGE"),
                            "the reason filter");
                    shot(browser, shots, "rejections");
                    WebElement replay = browser.findElement(By.cssSelector("button.replay"));
                    replay.click();
                    waitFor(browser, 15, () -> !browser.findElements(By.partialLinkText("outcome of ui-dup-1-replay-")).isEmpty(),
                            "the replay's link");
                    WebElement outcome = browser.findElement(By.partialLinkText("outcome of ui-dup-1-replay-"));
                    String replayed = outcome.getText().substring("outcome of ".length());
                    waitFor(browser, 60, () -> exists(base, replayed), replayed + " decided");
                    outcome.click();
                    waitFor(browser, 15, () -> browser.findElement(By.id("summary")).getText().contains("score"), "its page");

                    // An evaluation's results: the aggregates count them and the page draws the curves.
                    for (String strategy : new String[] {"best_worst", "random"}) {
                        for (int pct : new int[] {10, 50, 90}) {
                            for (int pair = 0; pair < 4; pair++) {
                                producer.send(evaluationResult(topics, strategy, pct, pair));
                            }
                        }
                    }
                    producer.flush();
                    browser.get(base + "/evaluations");
                    waitFor(browser, 60, () -> "2".equals(browser.findElement(By.tagName("body")).getDomAttribute("data-curves")),
                            "two curves drawn");
                    assertEquals(2, browser.findElements(By.cssSelector("#fmr canvas, #fnmr canvas")).size());
                    shot(browser, shots, "evaluations");
                    // An operator's threshold, with its provenance, shows on the models page (which cannot change it).
                    ThresholdPublisher.publish(pipeline.clients(), topics, ModelThreshold.newBuilder().setModelId(spec.id())
                            .setThreshold(0.4321).setSource("UiBrowserIT").setUpdatedAtMs(Instant.now()).setSetBy("ui-it operator")
                            .setMode("manual").setDataset(null).build());
                    browser.get(base + "/models");
                    waitFor(browser, 20, () -> {
                        browser.navigate().refresh();
                        return browser.findElement(By.id("models")).getText().contains("ui-it operator");
                    }, "the live threshold and who set it");
                    assertTrue(browser.findElement(By.id("models")).getText().contains("0.432100"));
                    shot(browser, shots, "models");
                    browser.get(base + "/health");
                    waitFor(browser, 10, () -> browser.findElement(By.id("health")).getText().contains("not ready"), "health");
                    shot(browser, shots, "health");
                } finally {
                    browser.quit();
                }
                // A face image without authentication is refused, and with it, served.
                HttpClient http = HttpClient.newHttpClient();
                URI face = URI.create(base + "/api/requests/ui-pair-1/probe/face.png");
                assertEquals(401, http.send(HttpRequest.newBuilder(face).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
                assertEquals(200, http.send(HttpRequest.newBuilder(face).header("Authorization", basic()).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
            }
        }
    }

    private static String basic() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString("tester:a-long-test-password".getBytes());
    }

    /** The audit store has the request's decision (its API answers 200). */
    private static boolean exists(String base, String id) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/requests/" + id))
                    .header("Authorization", basic()).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean loaded(WebDriver browser, String id, String map) {
        Object ok = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const i = document.getElementById(arguments[0]); return i.complete && i.naturalWidth > 0"
                        + " && (i.id.endsWith('face') || i.src.endsWith('/' + arguments[1] + '.png'));", id, map);
        return Boolean.TRUE.equals(ok);
    }

    private static void waitFor(WebDriver browser, int seconds, java.util.function.BooleanSupplier condition, String what) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(250)).until(d -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("not within " + seconds + " s: " + what, e);
        }
    }

    private static void shot(WebDriver browser, Path dir, String name) throws Exception {
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static void send(CheckedProducer producer, Topics topics, VerificationRequest r) {
        producer.send(new ProducerRecord<>(Topics.REQUESTS, r.getRequestId(),
                topics.requests().valueSerde().serializer().serialize(Topics.REQUESTS, r)));
        producer.flush();
    }

    private static VerificationRequest request(String id, Path faces, String probe, String reference, boolean explain)
            throws Exception {
        return VerificationRequest.newBuilder().setRequestId(id).setSubmittedAtMs(Instant.now()).setClientId("ui-it")
                .setProbe(ByteBuffer.wrap(probe == null ? new byte[0] : Files.readAllBytes(faces.resolve(probe))))
                .setReference(ByteBuffer.wrap(Files.readAllBytes(faces.resolve(reference)))).setExplain(explain).build();
    }

    /** A result as an evaluation run produces it (tags of its cell), straight onto the results topic. */
    private static ProducerRecord<String, byte[]> evaluationResult(Topics topics, String strategy, int pct, int pair) {
        String id = "ui-run/replaced/" + strategy + "/" + pct + "/" + pair;
        Map<String, String> tags = new HashMap<>();
        tags.put(EvaluationTags.RUN, "ui-run");
        tags.put(EvaluationTags.MODEL, "fr_feature");
        tags.put(EvaluationTags.DATASET, "csv");
        tags.put(EvaluationTags.VARIANT, EvaluationTags.REPLACED);
        tags.put(EvaluationTags.STRATEGY, strategy);
        tags.put(EvaluationTags.PERCENTAGE, Integer.toString(pct));
        tags.put(EvaluationTags.PAIR, Integer.toString(pair));
        tags.put(EvaluationTags.GENUINE, Boolean.toString(pair % 2 == 0));
        tags.put(EvaluationTags.THRESHOLD, "0.43");
        double score = pair % 2 == 0 ? 0.3 + pct / 200.0 : 0.6 - pct / 200.0;
        VerificationResult r = VerificationResult.newBuilder().setRequestId(id).setModelId("fr_feature").setScore(score)
                .setThreshold(0.43).setDecision(score >= 0.43 ? Decision.MATCH : Decision.NO_MATCH).setExplained(false)
                .setTags(tags).setSubmittedAtMs(Instant.now()).setCompletedAtMs(Instant.now()).setGatewayMs(1).setModelMs(1)
                .setBatchSize(1).build();
        return new ProducerRecord<>(Topics.RESULTS, id, topics.results().valueSerde().serializer().serialize(Topics.RESULTS, r));
    }
}
