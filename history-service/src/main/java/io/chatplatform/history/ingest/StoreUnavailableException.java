package io.chatplatform.history.ingest;

/**
 * MongoDB could not take the write (unreachable, timed out, not primary, write concern failed...): nothing
 * about the entries is wrong, so they stay pending and the batch is retried, never dead-lettered.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
