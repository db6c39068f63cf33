package io.chatplatform.e2e;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * What every web-client test shares: the {@code client} tag (what a browser sees, whichever servers store the data) and
 * the platform, started only when Chromium is there; without it every test is reported skipped.
 */
@Tag("client")
abstract class BrowserTest {

    protected Platform platform;

    @BeforeEach
    void browserAndPlatform() {
        Browser.assumeAvailable();
        platform = startPlatform();
    }

    /** The shared platform; a test needing other settings starts a variant ({@link Platform#withAuth}). */
    protected Platform startPlatform() {
        return Platform.get();
    }
}
