package io.chatplatform.history.store;

import com.mongodb.MongoException;

/** Classification of MongoDB failures. */
public final class MongoErrors {

    /** E11000 (and its legacy variants): the document is already there. */
    public static final int DUPLICATE_KEY = 11000;

    private MongoErrors() {
    }

    public static boolean isDuplicateKey(int code) {
        return code == DUPLICATE_KEY || code == 11001 || code == 12582;
    }

    public static boolean isDuplicateKey(Throwable e) {
        return e instanceof MongoException m && isDuplicateKey(m.getCode());
    }
}
