package io.chatplatform.history.message;

/** An item of a message page: a message in its final state, or (on {@code after=} pages) an update. */
public interface HistoryItem {

    /** The item's seq: pages are ordered by it. */
    long position();
}
