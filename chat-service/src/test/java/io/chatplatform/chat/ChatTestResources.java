package io.chatplatform.chat;

import io.chatplatform.localstack.StoresTestResource;
import io.chatplatform.localstack.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import java.util.Map;

/** Real Redis (embedded, or QUARKUS_REDIS_HOSTS) and the test token key for every chat-service test. */
@QuarkusTestResource(value = StoresTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "stores", value = "redis"))
@QuarkusTestResource(value = ChatTestResources.Tokens.class, restrictToAnnotatedClass = false)
public final class ChatTestResources {

    private ChatTestResources() {
    }

    public static class Tokens implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return TestTokens.verifierConfig();
        }

        @Override
        public void stop() {
        }
    }
}
