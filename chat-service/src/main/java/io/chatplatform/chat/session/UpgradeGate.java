package io.chatplatform.chat.session;

import io.chatplatform.common.session.AuthenticatedDevice;
import io.chatplatform.common.http.ApiException;
import io.chatplatform.common.http.Saturation;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.netty.channel.Channel;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Decides every {@code /ws} upgrade, in this order: browser origin (403), credentials (401, no upgrade), the
 * per-user connection cap (429, counted here so parallel upgrades cannot pass it together). The authenticated device rides on the connection's user data to {@code @OnOpen}.
 */
@Singleton
public class UpgradeGate implements HttpUpgradeCheck {

    static final TypedKey<AuthenticatedDevice> DEVICE = new TypedKey<>("chat.device");
    static final TypedKey<Channel> CHANNEL = new TypedKey<>("chat.channel");

    private final OriginCheck origins;
    private final UpgradeAuthenticator authenticator;
    private final ConnectionCapCheck cap;

    public UpgradeGate(OriginCheck origins, UpgradeAuthenticator authenticator, ConnectionCapCheck cap) {
        this.origins = origins;
        this.authenticator = authenticator;
        this.cap = cap;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (!origins.allows(context.httpRequest().getHeader("Origin"))) {
            return CheckResult.rejectUpgrade(403);
        }
        return authenticator.authenticate(context.httpRequest()).map(device -> {
            if (device == null) {
                return CheckResult.rejectUpgradeSync(401, Map.of("WWW-Authenticate", List.of("Bearer")));
            }
            if (!cap.tryReserve(device.uid())) {
                return CheckResult.rejectUpgradeSync(429);
            }
            context.userData().put(DEVICE, device);
            context.userData().put(CHANNEL, WireChannel.of(context.httpRequest()));
            // the socket keeps the upgrade's headers for its lifetime: no copy of the token (~1 KiB) stays with it
            context.httpRequest().headers().remove("Authorization");
            return CheckResult.permitUpgradeSync();
        }).onFailure().recoverWithUni(UpgradeGate::unavailable);
    }

    /**
     * Redis cannot say whether the credentials are valid (session check or ticket redemption: store down, pool wait
     * queue full): try again shortly, not "signed out" and not a 500. Anything else stays a failure.
     */
    static Uni<CheckResult> unavailable(Throwable failure) {
        ApiException unavailable = Saturation.of(failure);
        if (unavailable == null) {
            return Uni.createFrom().failure(failure);
        }
        long retryAfter = unavailable.retryAfterSeconds() == null ? 1 : unavailable.retryAfterSeconds();
        return CheckResult.rejectUpgrade(503, Map.of("Retry-After", List.of(Long.toString(retryAfter))));
    }
}
