package dev.invoka.node.destination;

import static dev.invoka.node.destination.TestAdapters.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Webhook destinations against a local server: what is POSTed, and which answers are retried. */
class WebhookDestinationTest {

    static FakeEndpoint hook;
    static WebhookDestination webhook;

    @BeforeAll
    static void start() throws Exception {
        hook = new FakeEndpoint();
        webhook = new WebhookDestination(Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() {
        hook.close();
    }

    static FakeEndpoint.Response status(int status) {
        return new FakeEndpoint.Response(status, "text/plain", "");
    }

    @Test
    void aRecordIsPostedAsJsonWithTheRequestId() throws Exception {
        hook.answer(r -> status(204));
        Delivery d = record(hook.url() + "/hooks/done?x=1", "{\"version\":\"1.0\"}", true);
        delivered(webhook.deliver(d));
        FakeEndpoint.Request r = hook.last();
        assertEquals("POST", r.method());
        assertEquals("/hooks/done", r.path());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals(d.requestId(), r.header("X-Invoka-Request-Id"));
        assertEquals("{\"version\":\"1.0\"}", r.text());
    }

    @Test
    void serverErrorsThrottlesAndTimeoutsAnswersAreRetryable() throws Exception {
        for (int s : new int[] {500, 503, 429, 408}) {
            hook.answer(r -> status(s));
            DeliveryException e = failure(webhook.deliver(record(hook.url() + "/x", "{}", true)));
            assertFalse(e.permanent(), s + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(String.valueOf(s)), e.getMessage());
        }
    }

    @Test
    void otherClientErrorsAndRedirectsArePermanent() throws Exception {
        for (int s : new int[] {404, 400, 403, 301}) {
            hook.answer(r -> status(s));
            assertTrue(failure(webhook.deliver(record(hook.url() + "/x", "{}", true))).permanent(), String.valueOf(s));
        }
    }

    @Test
    void aRefusedConnectionIsRetryable() throws Exception {
        DeliveryException e = failure(webhook.deliver(record("http://127.0.0.1:" + closedPort() + "/x", "{}", true)));
        assertFalse(e.permanent(), e.getMessage());
    }

    @Test
    void aSlowAnswerTimesOutAndIsRetryable() throws Exception {
        hook.answer(r -> {
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return status(200);
        });
        long start = System.nanoTime();
        DeliveryException e = failure(webhook.deliver(record(hook.url() + "/slow", "{}", true)));
        assertFalse(e.permanent(), e.getMessage());
        assertTrue(System.nanoTime() - start < 1_400_000_000L, "gave up after the 500 ms timeout");
    }

    @Test
    void deadLettersAndMalformedUrlsArePermanent() throws Exception {
        assertTrue(failure(webhook.deliver(deadLetter(hook.url() + "/x", "{}", "r", "m"))).permanent());
        assertTrue(failure(webhook.deliver(record("http://exa mple/", "{}", true))).permanent());
    }
}
