package io.chatplatform.auth;

import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(MaxDevicesTest.TwoDevices.class)
class MaxDevicesTest {

    public static class TwoDevices implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.max-devices", "2");
        }
    }

    @Test
    void aThirdDeviceEvictsTheOldestLogin() throws InterruptedException {
        Api.Account user = Api.newAccount("cap", "first");
        Thread.sleep(5);
        String second = Api.login(user.username(), "second");
        Thread.sleep(5);
        String third = Api.login(user.username(), "third");

        Api.as(user.token()).get("/auth/me").then().statusCode(401);
        Api.as(second).get("/auth/me").then().statusCode(200);
        Api.as(third).get("/auth/sessions").then().statusCode(200)
                .body("$", hasSize(2)).body("deviceId", hasItems("second", "third"));
    }
}
