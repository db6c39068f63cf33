package io.chatplatform.chat;

import io.chatplatform.localstack.WsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("cluster")
@QuarkusTest
class RevocationTest extends ChatTestBase {

    @Test
    void aReloginOnTheSameDeviceClosesTheOldSocketWith4001AndOtherDevicesStay() {
        long uid = TestUsers.newUid();
        TestUsers.Device phone = users.login(uid, "phone");
        WsClient oldPhone = connect(phone);
        WsClient laptop = connect(users.login(uid, "laptop"));
        oldPhone.assertAlive();

        users.login(uid, "phone");
        users.publishRevoked(phone, "replaced");
        long start = System.nanoTime();
        assertEquals(4001, oldPhone.awaitClose(Duration.ofSeconds(1)));
        System.out.printf("revoked socket closed after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        laptop.assertAlive();
    }

    @Test
    void anEventForAnOlderTokenOfTheDeviceLeavesTheCurrentSocketOpen() {
        long uid = TestUsers.newUid();
        TestUsers.Device first = users.login(uid, "phone");
        TestUsers.Device second = users.login(uid, "phone");
        WsClient current = connect(second);
        users.publishRevoked(first, "replaced");
        current.assertAlive();
    }
}
