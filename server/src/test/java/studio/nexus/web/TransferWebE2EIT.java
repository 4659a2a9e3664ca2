package studio.nexus.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import studio.nexus.testing.Browser;
import studio.nexus.testing.TestDatabase;
import studio.nexus.testing.TestServer;

/**
 * A transfer in the web studio: the owner offers a project from its studio (and withdraws an offer), the recipient
 * finds it under Invitations with what it means for their plan, accepts, and opens the project as its owner.
 */
class TransferWebE2EIT {
    @RegisterExtension @Order(1) static TestDatabase database = new TestDatabase();
    @RegisterExtension @Order(2) static TestServer server = new TestServer(database);
    @RegisterExtension @Order(3) static Browser browser = new Browser(server);

    @Test
    void anOwnerOffersAProjectAndTheRecipientAcceptsItFromTheirInvitations() throws Exception {
        WebDriver driver = browser.driver();
        browser.signUp("ben.transfer@example.com", "ben_web", "correct horse battery");
        browser.signOut();

        // the owner offers from the studio: an unknown name is refused in words, an offer can be withdrawn
        browser.signUp("ana.transfer@example.com", "ana_web", "another horse battery");
        browser.createProject("Gift <b>song</b>");
        browser.openPanel("transfer");
        WebElement name = browser.input("Username to offer the project to");
        name.sendKeys("nobody_here");
        driver.findElement(By.cssSelector("#transfer-form button[type=submit]")).click();
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#transfer .message.error")));
        browser.consoleErrors().removeIf(e -> e.contains("/transfer") && e.contains("404"));
        name.clear();
        name.sendKeys("@ben_web");
        driver.findElement(By.cssSelector("#transfer-form button[type=submit]")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("transfer-status"),
                "Offered to @ben_web"));
        assertThat(driver.findElement(By.id("transfer-form")).isDisplayed()).isFalse();
        browser.screenshots("transfer-offered", "#transfer");
        driver.findElement(By.id("withdraw-transfer")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#transfer .message.ok"),
                "withdrawn"));
        browser.input("Username to offer the project to").sendKeys("ben_web");
        driver.findElement(By.cssSelector("#transfer-form button[type=submit]")).click();
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("transfer-status"),
                "Offered to @ben_web"));
        browser.signOut();

        // the recipient finds it next to invitations, with what it means for their plan, and accepts
        browser.signIn("ben.transfer@example.com", "correct horse battery");
        driver.findElement(By.linkText("Invitations")).click();
        WebElement offer = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#transfer-offers li.offer")));
        assertThat(offer.getText()).contains("Gift <b>song</b>", "@ana_web offers you this project",
                "0 of 3 used");
        assertThat(driver.findElement(By.id("invitations")).getText()).contains("No invitations");
        browser.screenshots("transfer-offers");
        offer.findElement(By.xpath(".//button[text()='Accept']")).click();
        WebElement done = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#h-offers ~ .message.ok")));
        assertThat(done.getText()).contains("“Gift <b>song</b>” is yours now");
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("transfer-offers"),
                "No projects offered to you"));
        done.findElement(By.linkText("Open it")).click();
        browser.awaitHeading("Gift <b>song</b>");
        browser.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main .meta"),
                "by @ben_web"));
        // now the owner, the recipient may offer it on; the maker collaborates as an admin
        browser.openPanel("collaborators");
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#collaborators li[data-username=ana_web]")));
        browser.openPanel("transfer");
        browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("transfer-form")));
        browser.screenshots("transfer-accepted", "#transfer");
    }
}
