package io.chatplatform.history.store;

import com.mongodb.MongoException;

/** Classification of MongoDB failures. */
public final class MongoErrors {

    /** E11000 (and its legacy variants): the document is already there. */
    public static final int DUPLICATE_KEY = 11000;

    /**
     * Per-document write errors that mean the document itself cannot be stored, whatever the server's state:
     * 2 BadValue, 14 TypeMismatch (a value of the wrong type for the update), 52 DollarPrefixedFieldName,
     * 56 EmptyFieldName, 57 DottedFieldName, 121 DocumentValidationFailure, 10334 BSONObjectTooLarge, 17419
     * (document after update larger than 16 MiB), 17280 KeyTooLong (index key too large). Every other code
     * (an unreachable shard, a stepped-down primary, a stale config, a timeout, ...) is the store's problem.
     */
    private static final java.util.Set<Integer> CONTENT_ERRORS = java.util.Set.of(2, 14, 52, 56, 57, 121, 10334, 17419,
            17280);

    private MongoErrors() {
    }

    public static boolean isDuplicateKey(int code) {
        return code == DUPLICATE_KEY || code == 11001 || code == 12582;
    }

    /** The write was refused for what the document contains: retrying cannot help (see {@link #CONTENT_ERRORS}). */
    public static boolean isContentError(int code) {
        return CONTENT_ERRORS.contains(code);
    }

    public static boolean isDuplicateKey(Throwable e) {
        return e instanceof MongoException m && isDuplicateKey(m.getCode());
    }
}
