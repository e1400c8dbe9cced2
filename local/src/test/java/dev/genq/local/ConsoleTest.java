package dev.genq.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.devkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
 * The web console in real Chromium (Debian's chromium and chromium-driver, driven by Selenium): a
 * customer signs in with a key, tops up, gets a price, starts a generation, watches it reach
 * SUCCEEDED over server-sent events and opens the image; an operator signs in to the admin view and
 * finds that generation. Screenshots are kept in target/screenshots.
 */
class ConsoleTest extends EndToEndTest {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void startChromium() throws IOException {
        Path chromium = Tools.require("chromium", "chromium");
        Path chromedriver = Tools.require("chromedriver", "chromium-driver");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toString());
        // root in a container: no sandbox; and none of Chromium's own calls home, which this network refuses
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1600",
            "--user-data-dir=" + Files.createTempDirectory("genq-chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build(),
            options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aCustomerTopsUpQuotesSubmitsWatchesItSucceedAndOpensTheImageAndAnAdminFindsIt() throws Exception {
        Api.Account account = api.newAccount(0);
        browser.get(api.base() + "/console/index.html");
        browser.findElement(By.id("token")).sendKeys(account.key());
        browser.findElement(By.id("signin")).click();
        waitForText("balance", "0");

        stack.gateways.topUp(api, account, 500);
        browser.findElement(By.id("refresh")).click();
        waitForText("balance", "500");
        assertThat(browser.findElement(By.id("transactions")).getText()).contains("topup");
        screenshot("1-topped-up");

        new Select(browser.findElement(By.id("model"))).selectByValue("emu-image");
        WebElement prompt = browser.findElement(By.id("prompt"));
        prompt.clear();
        prompt.sendKeys("a fox in a browser");
        browser.findElement(By.id("quote")).click();
        waitForText("price", "10 coins");
        screenshot("2-quoted");
        browser.findElement(By.id("start")).click();
        String id = wait.until(b -> {
            String shown = b.findElement(By.id("generation-id")).getText();
            return shown.isBlank() ? null : shown;
        });
        waitForText("status", "SUCCEEDED");
        WebElement image = wait.until(b -> b.findElements(By.cssSelector("#result img")).stream().findFirst().orElse(null));
        wait.until(b -> (Boolean) ((JavascriptExecutor) b).executeScript(
            "const i = document.querySelector('#result img'); return i.complete && i.naturalWidth > 0;"));
        assertThat(browser.findElement(By.id("progress")).getText()).isNotBlank();
        waitForText("balance", "490");
        screenshot("3-succeeded");

        String url = image.findElement(By.xpath("./..")).getAttribute("href");
        List<String> tabs = new ArrayList<>(browser.getWindowHandles());
        image.click();
        wait.until(b -> b.getWindowHandles().size() > tabs.size());
        String opened = browser.getWindowHandles().stream().filter(h -> !tabs.contains(h)).findFirst().orElseThrow();
        browser.switchTo().window(opened);
        wait.until(b -> (Boolean) ((JavascriptExecutor) b).executeScript(
            "const i = document.querySelector('img'); return i !== null && i.complete && i.naturalWidth > 0;"));
        assertThat(browser.getCurrentUrl()).isEqualTo(url);
        screenshot("4-image-opened");
        browser.close();
        browser.switchTo().window(tabs.getFirst());

        browser.get(api.base() + "/console/admin.html");
        browser.findElement(By.id("admin-key")).sendKeys(api.admin("ana"));
        browser.findElement(By.id("signin")).click();
        wait.until(b -> b.findElement(By.id("app")).isDisplayed());
        assertThat(browser.findElement(By.id("discrepancies")).getText()).isEqualTo("none");
        browser.findElement(By.id("search-id")).sendKeys(id);
        browser.findElement(By.id("search")).click();
        wait.until(b -> b.findElement(By.id("found")).getText().contains(id));
        assertThat(browser.findElement(By.id("found")).getText()).contains("SUCCEEDED").contains(account.id().toString());
        screenshot("5-admin-found-it");
    }

    private static void waitForText(String id, String text) {
        wait.until(b -> b.findElement(By.id(id)).getText().contains(text));
    }

    private static void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve("console-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
