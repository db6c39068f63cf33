package io.chatplatform.chat;

import io.chatplatform.localstack.StoresTestResource;
import io.chatplatform.localstack.TokenVerifierTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Real Redis (embedded, or QUARKUS_REDIS_HOSTS) and the test token key for every chat-service test. */
@QuarkusTestResource(value = StoresTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "stores", value = "redis,mongo"))
@QuarkusTestResource(value = TokenVerifierTestResource.class, restrictToAnnotatedClass = false)
public final class ChatTestResources {

    private ChatTestResources() {
    }
}
