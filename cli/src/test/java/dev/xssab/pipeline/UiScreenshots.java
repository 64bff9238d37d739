package dev.xssab.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Writes the screenshots in docs/ui from a running stack (not from test data): start it and feed
 * it (for example `./xssab evaluate --dataset csv:../shared/faces/deepface --models
 * fr_feature,mobileface --steps 10..90/20`), then run this with the UI's URL, a user and the
 * output directory (the password comes from the environment, XSSAB_UI_PASSWORD, never a flag).
 * Debian's Chromium and chromedriver drive the pages. The request page is left out: it shows faces.
 */
public final class UiScreenshots {
    private static final List<String> PAGES = List.of("live:/", "rejections:/rejections", "evaluations:/evaluations",
            "models:/models", "health:/health");
    private static final int WIDTH = 1400;
    private static final int MIN_HEIGHT = 850;
    private static final int MAX_HEIGHT = 1100;

    private UiScreenshots() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || System.getenv("XSSAB_UI_PASSWORD") == null) {
            System.err.println("usage: XSSAB_UI_PASSWORD=... UiScreenshots UI_URL USER OUT_DIR");
            System.exit(2);
        }
        Path out = Files.createDirectories(Path.of(args[2]));
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=" + WIDTH + "," + MIN_HEIGHT, "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(args[0] + "/login");
            browser.findElement(By.id("user")).sendKeys(args[1]);
            browser.findElement(By.id("password")).sendKeys(System.getenv("XSSAB_UI_PASSWORD"));
            browser.findElement(By.id("login")).click();
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> !b.getCurrentUrl().endsWith("/login"));
            for (String page : PAGES) {
                String[] nameAndPath = page.split(":", 2);
                browser.get(args[0] + nameAndPath[1]);
                Thread.sleep(5000); // the pages fill from the API, SSE and the 2 s evaluation refresh
                fitToContent(browser);
                Files.write(out.resolve(nameAndPath[0] + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                System.out.println("wrote " + out.resolve(nameAndPath[0] + ".png"));
            }
        } finally {
            browser.quit();
        }
    }

    /**
     * Grows the window to the page's height (at most MAX_HEIGHT, for the live page's 500 rows), so
     * that the evaluations page's area table is not cut off below its charts.
     */
    private static void fitToContent(WebDriver browser) {
        browser.manage().window().setSize(new Dimension(WIDTH, MIN_HEIGHT)); // the previous page's height would stay the floor
        JavascriptExecutor page = (JavascriptExecutor) browser;
        long content = ((Number) page.executeScript("return document.documentElement.scrollHeight")).longValue();
        long chrome = ((Number) page.executeScript("return window.outerHeight - window.innerHeight")).longValue();
        int height = (int) Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, content + chrome));
        browser.manage().window().setSize(new Dimension(WIDTH, height));
    }
}
