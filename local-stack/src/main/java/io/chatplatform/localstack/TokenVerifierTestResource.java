package io.chatplatform.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a token-verifying service under test (chat, history) at this JVM's {@link TestTokens} key:
 * {@code @QuarkusTestResource(value = TokenVerifierTestResource.class, restrictToAnnotatedClass = false)}.
 */
public class TokenVerifierTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestTokens.verifierConfig();
    }

    @Override
    public void stop() {
        // the key files live under target/ and are reused by the next test JVM's own pair
    }
}
