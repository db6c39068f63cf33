package io.chatplatform.auth.push;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** Push registration rules (DESIGN Part 2 "Offline notifications"). */
@ConfigMapping(prefix = "push")
public interface PushConfig {

    Webhook webhook();

    interface Webhook {
        /**
         * Hosts a webhook URL may point at, comma-separated: an exact host name ({@code hooks.example.com}) or a
         * suffix pattern ({@code *.example.com}, which does not match {@code example.com} itself), optionally with a
         * port ({@code 127.0.0.1:9000}; without one any port matches). Empty (the default): no webhook registration is
         * accepted. Env {@code PUSH_WEBHOOK_ALLOWED_HOSTS}.
         */
        Optional<List<String>> allowedHosts();
    }
}
