package io.chatplatform.history.push;

/** One way of waking a device. Implementations block (they run on the notifier's threads). */
public interface PushProvider {

    /** {@code fcm}, {@code apns} or {@code webhook}, as registered. */
    String name();

    /** Enabled and configured; a device registered with a provider that is not is skipped. */
    boolean ready();

    PushResult send(Notification notification, String token);
}
