package io.chatplatform.auth;

import io.chatplatform.localstack.StoresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * Real Redis and MariaDB for every test in this module: embedded servers on free ports, or the servers
 * named by QUARKUS_REDIS_HOSTS / QUARKUS_DATASOURCE_JDBC_URL (the "real servers" CI pass).
 */
@QuarkusTestResource(value = StoresTestResource.class, restrictToAnnotatedClass = false,
        initArgs = {@ResourceArg(name = "stores", value = "redis,mysql"), @ResourceArg(name = "database", value = "chat_auth_test")})
public final class AuthTestStores {
    private AuthTestStores() {
    }
}
