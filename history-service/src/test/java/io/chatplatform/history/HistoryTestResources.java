package io.chatplatform.history;

import io.chatplatform.localstack.StoresTestResource;
import io.chatplatform.localstack.TokenVerifierTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * Real Redis and a MongoDB wire-protocol server for every history test (embedded on free ports, or the
 * servers named by QUARKUS_REDIS_HOSTS / QUARKUS_MONGODB_CONNECTION_STRING), and the test token key.
 */
@QuarkusTestResource(value = StoresTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "stores", value = "redis,mongo"))
@QuarkusTestResource(value = TokenVerifierTestResource.class, restrictToAnnotatedClass = false)
public final class HistoryTestResources {

    private HistoryTestResources() {
    }
}
